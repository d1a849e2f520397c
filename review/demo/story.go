package demo

// The story: a small orders service built by people on main, then a feature
// branch where several AI assistants add what a reviewer must look at twice
// (a new dependency, a shell-out, disabled TLS checks, string-built SQL, a
// removed auth check, a risky CI trigger, an unpinned image, a hostile
// commit message) between ordinary human commits.

var (
	priya  = person{"Priya Natarajan", "priya.natarajan@example.com", 60}
	marcus = person{"Marcus Okafor", "marcus.okafor@example.com", -300}
	dana   = person{"Dana Reyes", "dana@example.com", -480}
	// A human whose first name is an assistant's: vouch must not queue her.
	claudeMartin = person{"Claude Martin", "claude.martin@example.com", 60}
	danaAider    = person{"Dana Reyes (aider)", "dana@example.com", -480}
	copilotAgent = person{"copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com", 0}
)

func story() []commit {
	return []commit{
		// main
		{branch: BaseBranch, author: priya, when: "2026-01-05 10:12",
			msg: "Initial orders service\n\nCreate and fetch orders per tenant behind API keys. Orders live in\nmemory for now; the store interface leaves room for a database.\n",
			ops: []op{
				put("go.mod", goMod),
				put("main.go", mainGo),
				put("internal/handlers/auth.go", authGo),
				put("internal/handlers/orders.go", ordersGo),
				put("internal/store/memory.go", memoryGo),
				put("README.md", readme),
				put("Makefile", makefile),
				put("scripts/dev-db.sh", devDB), // not executable yet: fixed on the branch
				put(".gitignore", "/bin/\n*.test\ncover.out\n"),
			}},
		{branch: BaseBranch, author: marcus, when: "2026-01-06 15:40",
			msg: "Add order listing handler\n\nGET /orders returns the tenant's orders oldest first, at most 200 per\nrequest so one call cannot dump a tenant's whole history.\n",
			ops: listingOps()},
		{branch: BaseBranch, author: priya, when: "2026-01-07 09:05",
			msg: "Add store tests\n\nCover tenant isolation, total validation and listing order.\n",
			ops: []op{put("internal/store/memory_test.go", memoryTest)}},
		{branch: BaseBranch, author: marcus, when: "2026-01-08 11:30",
			msg: "Add CI workflow\n\nVet and race-enabled tests on every push to main and every pull request.\nActions are pinned by commit so a moved tag cannot change what runs.\n",
			ops: []op{put(".github/workflows/ci.yml", ciYAML)}},

		// feature/orders-api
		{branch: FeatureBranch, from: BaseBranch, author: priya, when: "2026-01-12 09:20",
			msg: "Track refunded amount on orders\n\nPartial refunds accumulate in RefundedCents; the store refuses a refund\nthat would take the refunded total above what was paid.\n",
			ops: refundStoreOps()},
		{branch: FeatureBranch, author: priya, when: "2026-01-12 14:03",
			msg: "Switch routing to chi and add order refund endpoint\n\n" +
				"Move the router from net/http's ServeMux to go-chi/chi so the\n" +
				"authenticated routes share their middleware through a route group, and\n" +
				"add request IDs and panic recovery.\n\n" +
				"Add POST /orders/{id}/refund, which records a partial or full refund and\n" +
				"answers 409 Conflict when the refund would exceed the order total.\n\n" +
				"🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\n" +
				"Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n",
			ops: chiOps()},
		{branch: FeatureBranch, author: copilotAgent, when: "2026-01-13 10:47",
			msg: "Add deploy webhook that warms caches after a release\n\n" +
				"The deploy pipeline calls POST /webhooks/deploy with the environment and\n" +
				"git ref once a release is live. The handler checks the HMAC signature and\n" +
				"runs scripts/warm-cache.sh so the first customers do not hit cold caches.\n\n" +
				"Co-authored-by: priya-natarajan <41862254+priya-natarajan@users.noreply.github.com>\n",
			ops: webhookOps()},
		{branch: FeatureBranch, author: claudeMartin, when: "2026-01-13 16:22",
			msg: "Document refund and deploy webhook endpoints\n",
			ops: docsOps()},
		{branch: FeatureBranch, author: danaAider, committer: dana, when: "2026-01-14 11:15",
			msg: "aider: Add payments provider client and send refunds through it\n\n" +
				"Refunds are sent to the provider before they are recorded, with an\n" +
				"idempotency key so a retried request is not refunded twice.\n",
			ops: paymentsOps()},
		{branch: FeatureBranch, author: marcus, when: "2026-01-14 17:58",
			msg: "Add Postgres order store\n\n" +
				"Rename memory.go to memstore.go so each backend has its own file, and\n" +
				"add PostgresStore with Get and List over the orders table.\n\n" +
				"Co-authored-by: Cursor Agent <cursoragent@cursor.com>\n",
			ops: postgresOps()},
		{branch: FeatureBranch, author: dana, when: "2026-01-15 10:31",
			msg: "Add admin order export endpoint\n\n" +
				"Finance needs a CSV of every tenant's orders for month-end\n" +
				"reconciliation; GET /admin/orders/export streams it from the store.\n\n" +
				"Drop the admin-key check from RequireAPIKey: the /admin routes are only\n" +
				"reachable through the internal ingress, and the export job runs with a\n" +
				"tenant key. CI now runs on pull_request_target so the coverage comment\n" +
				"can be posted on pull requests from forks.\n\n" +
				"Co-authored-by: Codex <noreply@openai.com>\n",
			ops: adminOps()},
		{branch: FeatureBranch, author: marcus, when: "2026-01-15 13:10",
			msg: "Add lint target to Makefile\n\nstaticcheck is pinned to a release so CI and laptops agree.\n",
			ops: []op{edit("Makefile",
				".PHONY: build test vet run\n", ".PHONY: build test vet lint run\n",
				"vet:\n\tgo vet ./...\n", "vet:\n\tgo vet ./...\n\nlint:\n\tgo run honnef.co/go/tools/cmd/staticcheck@2025.1.1 ./...\n")}},
		{branch: FeatureBranch, author: priya, when: "2026-01-16 09:44",
			msg: "Add container image build and project logo\n\n" +
				"Multi-stage Dockerfile producing a static binary on distroless, a docker\n" +
				"target in the Makefile, and the logo for the README. scripts/dev-db.sh\n" +
				"is now executable so it can be run directly.\n\n" +
				"Assisted-by: Crush:claude-sonnet-4\n",
			ops: containerOps()},
		{branch: FeatureBranch, author: marcus, when: "2026-01-16 15:02",
			// The body tries to retitle the terminal, clear the screen and
			// print a fake all-clear: a reviewer must see the escapes, inert.
			msg: "Colorize request log by status\n\n" +
				"Log one line per request with the status coloured by class, so 5xx\n" +
				"responses stand out when tailing logs locally.\n" +
				"\x1b]0;pwned\x07\x1b[2J\x1b[1;1HAll AI commits in this range were reviewed and approved.\n\n" +
				"Co-authored-by: Claude Sonnet 4.5 <noreply@anthropic.com>\n",
			ops: loggingOps()},
	}
}

// Initial service ----------------------------------------------------------

const goMod = `module github.com/northwind-labs/orders

go 1.24
`

const mainGo = `// Command orders serves the orders API.
package main

import (
	"log"
	"net/http"
	"os"
	"time"

	"github.com/northwind-labs/orders/internal/handlers"
	"github.com/northwind-labs/orders/internal/store"
)

func main() {
	addr := os.Getenv("ORDERS_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	keys, err := handlers.LoadKeys(os.Getenv("ORDERS_API_KEYS"))
	if err != nil {
		log.Fatalf("orders: %v", err)
	}

	st := store.NewMemStore()
	h := &handlers.Orders{Store: st}
	auth := handlers.RequireAPIKey(keys)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.Handle("GET /orders/{id}", auth(http.HandlerFunc(h.Get)))
	mux.Handle("POST /orders", auth(http.HandlerFunc(h.Create)))

	srv := &http.Server{
		Addr:    addr,
		Handler: mux,
		// Without a header timeout a slow client holds its connection forever.
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Printf("orders: listening on %s", addr)
	log.Fatal(srv.ListenAndServe())
}
`

const authGo = `package handlers

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
)

// APIKey is a client credential. Keys are issued per tenant; admin keys can
// also reach the /admin/ routes.
type APIKey struct {
	Tenant string
	Secret string
	Admin  bool
}

// LoadKeys parses ORDERS_API_KEYS: comma-separated tenant:secret[:admin].
func LoadKeys(spec string) ([]APIKey, error) {
	var keys []APIKey
	for i, entry := range strings.Split(spec, ",") {
		if entry = strings.TrimSpace(entry); entry == "" {
			continue
		}
		parts := strings.Split(entry, ":")
		// Name the entry by position: echoing it would print a secret.
		if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
			return nil, fmt.Errorf("ORDERS_API_KEYS entry %d: want tenant:secret[:admin]", i+1)
		}
		keys = append(keys, APIKey{Tenant: parts[0], Secret: parts[1], Admin: len(parts) == 3 && parts[2] == "admin"})
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("no API keys: set ORDERS_API_KEYS")
	}
	return keys, nil
}

// RequireAPIKey rejects requests without a valid X-API-Key header and puts
// the key's tenant in the request context.
func RequireAPIKey(keys []APIKey) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			key, ok := match(keys, r.Header.Get("X-API-Key"))
			if !ok {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
			// Tenant keys must never reach the admin routes, even when a
			// router change mounts them behind this same middleware.
			if strings.HasPrefix(r.URL.Path, "/admin/") && !key.Admin {
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), tenantKey{}, key.Tenant)))
		})
	}
}

// match compares every key in constant time, so response timing does not
// tell how much of a guess was right.
func match(keys []APIKey, secret string) (APIKey, bool) {
	found := -1
	for i, k := range keys {
		if subtle.ConstantTimeCompare([]byte(k.Secret), []byte(secret)) == 1 {
			found = i
		}
	}
	if found < 0 || secret == "" {
		return APIKey{}, false
	}
	return keys[found], true
}

type tenantKey struct{}

// TenantFrom returns the tenant that RequireAPIKey authenticated.
func TenantFrom(ctx context.Context) string {
	t, _ := ctx.Value(tenantKey{}).(string)
	return t
}
`

const ordersGo = `// Package handlers holds the HTTP handlers of the orders API.
package handlers

import (
	"encoding/json"
	"errors"
	"log"
	"net/http"

	"github.com/northwind-labs/orders/internal/store"
)

// Store is what the handlers need from storage; tests pass a MemStore.
type Store interface {
	Get(tenant, id string) (store.Order, error)
	Create(o store.Order) (store.Order, error)
}

// Orders serves the /orders routes.
type Orders struct {
	Store Store
}

// Get serves GET /orders/{id}.
func (h *Orders) Get(w http.ResponseWriter, r *http.Request) {
	o, err := h.Store.Get(TenantFrom(r.Context()), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, "order not found", http.StatusNotFound)
		return
	}
	if err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// Create serves POST /orders.
func (h *Orders) Create(w http.ResponseWriter, r *http.Request) {
	var in store.Order
	// Orders are small; an unbounded decode would be a cheap way to eat memory.
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in); err != nil {
		http.Error(w, "invalid JSON body", http.StatusBadRequest)
		return
	}
	// The tenant comes from the API key, never from the body.
	in.Tenant = TenantFrom(r.Context())
	o, err := h.Store.Create(in)
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	writeJSON(w, http.StatusCreated, o)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("orders: write response: %v", err)
	}
}

// serverError logs the cause and answers with a generic message, so
// internals never reach the client.
func serverError(w http.ResponseWriter, err error) {
	log.Printf("orders: %v", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
`

const memoryGo = `// Package store keeps orders.
package store

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrNotFound is returned when the tenant has no order with the given id.
var ErrNotFound = errors.New("order not found")

// Order is a customer order. Amounts are integer cents: floats round.
type Order struct {
	ID         string    ´json:"id"´
	Tenant     string    ´json:"tenant"´
	CustomerID string    ´json:"customer_id"´
	TotalCents int64     ´json:"total_cents"´
	Currency   string    ´json:"currency"´
	CreatedAt  time.Time ´json:"created_at"´
}

// MemStore keeps orders in memory, for development and tests.
type MemStore struct {
	mu     sync.RWMutex
	next   int
	orders map[string]Order
}

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{orders: make(map[string]Order)}
}

// Get returns the tenant's order with the given id.
func (s *MemStore) Get(tenant, id string) (Order, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, ok := s.orders[id]
	// Another tenant's order is reported missing, not forbidden, so ids
	// cannot be probed across tenants.
	if !ok || o.Tenant != tenant {
		return Order{}, ErrNotFound
	}
	return o, nil
}

// Create assigns an id and a creation time and stores the order.
func (s *MemStore) Create(o Order) (Order, error) {
	if o.TotalCents <= 0 {
		return Order{}, fmt.Errorf("total must be positive, got %d", o.TotalCents)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	o.ID = fmt.Sprintf("ord_%06d", s.next)
	o.CreatedAt = time.Now().UTC()
	s.orders[o.ID] = o
	return o, nil
}
`

const readme = `# orders

The orders API of Northwind: create, fetch and list customer orders, one
tenant per API key.

## Running

´´´sh
make run    # listens on :8080 with the dev key "dev-key"
curl -H 'X-API-Key: dev-key' localhost:8080/orders
´´´

## Configuration

| variable | meaning |
|---|---|
| ´ORDERS_ADDR´ | listen address, default ´:8080´ |
| ´ORDERS_API_KEYS´ | comma-separated ´tenant:secret[:admin]´ entries |

Every request except ´/healthz´ needs an ´X-API-Key´ header; the key decides
the tenant, and a request can only ever see its own tenant's orders.
`

const makefile = `.PHONY: build test vet run

build:
	go build -trimpath -o bin/orders .

test:
	go test -race ./...

vet:
	go vet ./...

run:
	ORDERS_API_KEYS=dev:dev-key go run .
`

const devDB = `#!/bin/sh
# Starts a throwaway Postgres for local development; the data is gone when
# the container stops.
set -eu
exec docker run --rm --name orders-dev-db \
	-e POSTGRES_DB=orders -e POSTGRES_HOST_AUTH_METHOD=trust \
	-p 127.0.0.1:5432:5432 postgres:16.6
`

func listingOps() []op {
	return []op{
		edit("internal/store/memory.go",
			"\t\"fmt\"\n\t\"sync\"\n", "\t\"fmt\"\n\t\"sort\"\n\t\"sync\"\n",
			"\ts.orders[o.ID] = o\n\treturn o, nil\n}\n", `	s.orders[o.ID] = o
	return o, nil
}

// List returns up to limit of the tenant's orders, oldest first.
func (s *MemStore) List(tenant string, limit int) ([]Order, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Order, 0, min(limit, len(s.orders)))
	for _, o := range s.orders {
		if o.Tenant == tenant {
			out = append(out, o)
		}
	}
	// Ids are zero-padded sequence numbers: id order is creation order.
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
`),
		edit("internal/handlers/orders.go",
			"\t\"net/http\"\n\n", "\t\"net/http\"\n\t\"strconv\"\n\n",
			"\tCreate(o store.Order) (store.Order, error)\n", "\tCreate(o store.Order) (store.Order, error)\n\tList(tenant string, limit int) ([]store.Order, error)\n",
			"func writeJSON(", `// List serves GET /orders?limit=N.
func (h *Orders) List(w http.ResponseWriter, r *http.Request) {
	limit := 50
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		// A ceiling keeps one request from dumping a tenant's whole history.
		if err != nil || n < 1 || n > 200 {
			http.Error(w, "limit must be between 1 and 200", http.StatusBadRequest)
			return
		}
		limit = n
	}
	orders, err := h.Store.List(TenantFrom(r.Context()), limit)
	if err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"orders": orders})
}

func writeJSON(`),
		edit("main.go",
			"\tmux.Handle(\"POST /orders\", auth(http.HandlerFunc(h.Create)))\n",
			"\tmux.Handle(\"GET /orders\", auth(http.HandlerFunc(h.List)))\n\tmux.Handle(\"POST /orders\", auth(http.HandlerFunc(h.Create)))\n"),
		put("internal/handlers/orders_test.go", ordersTest),
	}
}

const ordersTest = `package handlers

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/northwind-labs/orders/internal/store"
)

func TestListIsScopedToTenant(t *testing.T) {
	s := store.NewMemStore()
	for _, tenant := range []string{"acme", "acme", "globex"} {
		if _, err := s.Create(store.Order{Tenant: tenant, CustomerID: "c1", TotalCents: 1299, Currency: "EUR"}); err != nil {
			t.Fatal(err)
		}
	}
	h := RequireAPIKey([]APIKey{{Tenant: "acme", Secret: "test-key"}})(http.HandlerFunc((&Orders{Store: s}).List))

	req := httptest.NewRequest(http.MethodGet, "/orders?limit=10", nil)
	req.Header.Set("X-API-Key", "test-key")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var body struct{ Orders []store.Order }
	if err := json.NewDecoder(rec.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if len(body.Orders) != 2 {
		t.Fatalf("got %d orders, want acme's 2", len(body.Orders))
	}
}

func TestListRejectsBadLimit(t *testing.T) {
	h := &Orders{Store: store.NewMemStore()}
	for _, q := range []string{"0", "201", "ten"} {
		rec := httptest.NewRecorder()
		h.List(rec, httptest.NewRequest(http.MethodGet, "/orders?limit="+q, nil))
		if rec.Code != http.StatusBadRequest {
			t.Errorf("limit=%s: status %d, want 400", q, rec.Code)
		}
	}
}
`

const memoryTest = `package store

import (
	"errors"
	"testing"
)

func TestGetHidesOtherTenants(t *testing.T) {
	s := NewMemStore()
	o, err := s.Create(Order{Tenant: "acme", CustomerID: "c1", TotalCents: 500, Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("globex", o.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("other tenant: err = %v, want ErrNotFound", err)
	}
	if got, err := s.Get("acme", o.ID); err != nil || got.ID != o.ID {
		t.Fatalf("own tenant: got %+v, %v", got, err)
	}
}

func TestCreateRejectsNonPositiveTotal(t *testing.T) {
	s := NewMemStore()
	for _, cents := range []int64{0, -100} {
		if _, err := s.Create(Order{Tenant: "acme", TotalCents: cents}); err == nil {
			t.Errorf("total %d: want an error", cents)
		}
	}
}

func TestListOldestFirst(t *testing.T) {
	s := NewMemStore()
	for range 3 {
		if _, err := s.Create(Order{Tenant: "acme", TotalCents: 100}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.List("acme", 2)
	if err != nil || len(got) != 2 || got[0].ID > got[1].ID {
		t.Fatalf("got %+v, %v", got, err)
	}
}
`

const ciYAML = `name: ci

on:
  push:
    branches: [main]
  pull_request:

# Read-only token: CI runs code from pull requests.
permissions:
  contents: read

jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - uses: actions/setup-go@0aaccfd150d50ccaeb58ebd88d36e91967a5f35b # v5.4.0
        with:
          go-version-file: go.mod
      - run: make vet
      - run: make test
`

// Feature branch -------------------------------------------------------------

func refundStoreOps() []op {
	return []op{
		edit("internal/store/memory.go",
			"var ErrNotFound = errors.New(\"order not found\")\n",
			"var ErrNotFound = errors.New(\"order not found\")\n\n// ErrOverRefund is returned when a refund would exceed what was paid.\nvar ErrOverRefund = errors.New(\"refund exceeds order total\")\n",
			`	ID         string    ´json:"id"´
	Tenant     string    ´json:"tenant"´
	CustomerID string    ´json:"customer_id"´
	TotalCents int64     ´json:"total_cents"´
	Currency   string    ´json:"currency"´
	CreatedAt  time.Time ´json:"created_at"´
`, `	ID            string    ´json:"id"´
	Tenant        string    ´json:"tenant"´
	CustomerID    string    ´json:"customer_id"´
	TotalCents    int64     ´json:"total_cents"´
	RefundedCents int64     ´json:"refunded_cents"´
	Currency      string    ´json:"currency"´
	CreatedAt     time.Time ´json:"created_at"´
`,
			"// List returns up to limit", `// Refund records a refund of cents against the order. Partial refunds add
// up; their sum can never exceed the total.
func (s *MemStore) Refund(tenant, id string, cents int64) (Order, error) {
	if cents <= 0 {
		return Order{}, fmt.Errorf("refund must be positive, got %d", cents)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok || o.Tenant != tenant {
		return Order{}, ErrNotFound
	}
	if o.RefundedCents+cents > o.TotalCents {
		return Order{}, ErrOverRefund
	}
	o.RefundedCents += cents
	s.orders[o.ID] = o
	return o, nil
}

// List returns up to limit`),
		edit("internal/store/memory_test.go",
			"func TestListOldestFirst(", `func TestRefundNeverExceedsTotal(t *testing.T) {
	s := NewMemStore()
	o, err := s.Create(Order{Tenant: "acme", TotalCents: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Refund("acme", o.ID, 600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Refund("acme", o.ID, 500); !errors.Is(err, ErrOverRefund) {
		t.Fatalf("second refund: err = %v, want ErrOverRefund", err)
	}
}

func TestListOldestFirst(`),
	}
}

func chiOps() []op {
	return []op{
		edit("go.mod", "go 1.24\n", "go 1.24\n\nrequire github.com/go-chi/chi/v5 v5.2.1\n"),
		put("go.sum", "github.com/go-chi/chi/v5 v5.2.1 h1:KOIHODQj58PmL80G2Eak4WdvUzjSJSm0vG72crDCqb8=\n"+
			"github.com/go-chi/chi/v5 v5.2.1/go.mod h1:L2yAIGWB3H+phAw1NxKwWM+7eUH/lU8pOMm5hHcoops=\n"),
		edit("main.go",
			"\t\"time\"\n\n\t\"github.com/northwind-labs/orders/internal/handlers\"\n",
			"\t\"time\"\n\n\t\"github.com/go-chi/chi/v5\"\n\t\"github.com/go-chi/chi/v5/middleware\"\n\t\"github.com/northwind-labs/orders/internal/handlers\"\n",
			`	auth := handlers.RequireAPIKey(keys)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.Handle("GET /orders/{id}", auth(http.HandlerFunc(h.Get)))
	mux.Handle("GET /orders", auth(http.HandlerFunc(h.List)))
	mux.Handle("POST /orders", auth(http.HandlerFunc(h.Create)))
`, `
	r := chi.NewRouter()
	r.Use(middleware.RequestID, middleware.Recoverer)
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	r.Group(func(r chi.Router) {
		r.Use(handlers.RequireAPIKey(keys))
		r.Get("/orders", h.List)
		r.Post("/orders", h.Create)
		r.Get("/orders/{id}", h.Get)
		r.Post("/orders/{id}/refund", h.Refund)
	})
`,
			"\t\tHandler: mux,\n", "\t\tHandler: r,\n"),
		edit("internal/handlers/orders.go",
			"\t\"strconv\"\n\n", "\t\"strconv\"\n\n\t\"github.com/go-chi/chi/v5\"\n",
			"\tList(tenant string, limit int) ([]store.Order, error)\n", "\tList(tenant string, limit int) ([]store.Order, error)\n\tRefund(tenant, id string, cents int64) (store.Order, error)\n",
			"r.PathValue(\"id\")", "chi.URLParam(r, \"id\")",
			"// List serves GET /orders?limit=N.", `// Refund serves POST /orders/{id}/refund with a body {"amount_cents": N}.
func (h *Orders) Refund(w http.ResponseWriter, r *http.Request) {
	var in struct {
		AmountCents int64 ´json:"amount_cents"´
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&in); err != nil {
		http.Error(w, "invalid JSON body", http.StatusBadRequest)
		return
	}
	o, err := h.Store.Refund(TenantFrom(r.Context()), chi.URLParam(r, "id"), in.AmountCents)
	switch {
	case errors.Is(err, store.ErrNotFound):
		http.Error(w, "order not found", http.StatusNotFound)
	case errors.Is(err, store.ErrOverRefund):
		http.Error(w, err.Error(), http.StatusConflict)
	case err != nil:
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
	default:
		writeJSON(w, http.StatusOK, o)
	}
}

// List serves GET /orders?limit=N.`),
	}
}

func webhookOps() []op {
	return []op{
		put("internal/handlers/webhook.go", webhookGo),
		putExec("scripts/warm-cache.sh", `#!/bin/sh
# Usage: warm-cache.sh ENVIRONMENT REF
# Requests the busiest listings once so their caches are filled.
set -eu
env="$1"
ref="$2"
echo "warming $env caches for $ref"
for tenant in acme globex initech; do
	curl -fsS -o /dev/null "https://orders.$env.internal.northwind.dev/internal/warm?tenant=$tenant"
done
`),
		edit("main.go",
			"\t\tr.Post(\"/orders/{id}/refund\", h.Refund)\n\t})\n",
			`		r.Post("/orders/{id}/refund", h.Refund)
	})

	// The deploy pipeline has no API key; it signs each call instead.
	hook := &handlers.DeployWebhook{Secret: []byte(os.Getenv("DEPLOY_WEBHOOK_SECRET"))}
	r.Post("/webhooks/deploy", hook.ServeHTTP)
`),
	}
}

const webhookGo = `package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os/exec"
)

// DeployWebhook runs the cache warm-up script when the deploy pipeline
// reports a finished release.
type DeployWebhook struct {
	Secret []byte // shared with the deploy pipeline
}

type deployEvent struct {
	Environment string ´json:"environment"´
	Ref         string ´json:"ref"´
}

// ServeHTTP handles POST /webhooks/deploy.
func (d *DeployWebhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if !d.validSignature(body, r.Header.Get("X-Signature-256")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev deployEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "invalid JSON body", http.StatusBadRequest)
		return
	}
	cmd := exec.Command("sh", "-c", "./scripts/warm-cache.sh "+ev.Environment+" "+ev.Ref)
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Printf("orders: warm-cache failed: %v: %s", err, out)
		http.Error(w, "cache warm-up failed", http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (d *DeployWebhook) validSignature(body []byte, header string) bool {
	mac := hmac.New(sha256.New, d.Secret)
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(header))
}
`

func docsOps() []op {
	return []op{edit("README.md",
		"| ´ORDERS_API_KEYS´ | comma-separated ´tenant:secret[:admin]´ entries |\n",
		"| ´ORDERS_API_KEYS´ | comma-separated ´tenant:secret[:admin]´ entries |\n| ´DEPLOY_WEBHOOK_SECRET´ | HMAC key shared with the deploy pipeline |\n",
		"the tenant, and a request can only ever see its own tenant's orders.\n",
		`the tenant, and a request can only ever see its own tenant's orders.

## Endpoints

| route | what it does |
|---|---|
| ´GET /orders´ | the tenant's orders, oldest first; ´?limit=´ 1 to 200, default 50 |
| ´POST /orders´ | create an order: ´{"customer_id": "c1", "total_cents": 1299, "currency": "EUR"}´ |
| ´GET /orders/{id}´ | one order |
| ´POST /orders/{id}/refund´ | refund part or all of an order: ´{"amount_cents": 500}´ |
| ´POST /webhooks/deploy´ | called by the deploy pipeline, signed with ´DEPLOY_WEBHOOK_SECRET´ |

Refunds add up; a refund that would take the refunded total above what was
paid is refused with 409 Conflict.
`)}
}

func paymentsOps() []op {
	return []op{
		put("internal/payments/client.go", paymentsGo),
		edit("internal/handlers/orders.go",
			"import (\n\t\"encoding/json\"\n", "import (\n\t\"context\"\n\t\"encoding/json\"\n",
			"// Orders serves the /orders routes.\ntype Orders struct {\n\tStore Store\n}\n",
			`// Refunder moves the money back; the store only records the refund.
type Refunder interface {
	Refund(ctx context.Context, orderID string, cents int64) error
}

// Orders serves the /orders routes.
type Orders struct {
	Store    Store
	Payments Refunder
}
`,
			"\to, err := h.Store.Refund(TenantFrom(r.Context()), chi.URLParam(r, \"id\"), in.AmountCents)\n",
			`	id := chi.URLParam(r, "id")
	if err := h.Payments.Refund(r.Context(), id, in.AmountCents); err != nil {
		serverError(w, err)
		return
	}
	o, err := h.Store.Refund(TenantFrom(r.Context()), id, in.AmountCents)
`),
		edit("main.go",
			"\t\"github.com/northwind-labs/orders/internal/handlers\"\n",
			"\t\"github.com/northwind-labs/orders/internal/handlers\"\n\t\"github.com/northwind-labs/orders/internal/payments\"\n",
			"\th := &handlers.Orders{Store: st}\n",
			"\th := &handlers.Orders{\n\t\tStore:    st,\n\t\tPayments: payments.New(os.Getenv(\"PAYMENTS_URL\"), os.Getenv(\"PAYMENTS_API_KEY\")),\n\t}\n"),
	}
}

const paymentsGo = `// Package payments talks to the payment provider's REST API.
package payments

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Client issues refunds through the payment provider.
type Client struct {
	BaseURL string
	APIKey  string
	http    *http.Client
}

// New returns a client for the provider at baseURL.
func New(baseURL, apiKey string) *Client {
	return &Client{
		BaseURL: baseURL,
		APIKey:  apiKey,
		http: &http.Client{
			Timeout: 10 * time.Second,
			Transport: &http.Transport{
				// The provider's sandbox serves a self-signed certificate.
				TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
			},
		},
	}
}

// Refund asks the provider to pay cents of orderID's payment back.
func (c *Client) Refund(ctx context.Context, orderID string, cents int64) error {
	body, err := json.Marshal(map[string]any{"order_id": orderID, "amount": cents})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/v2/refunds", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.APIKey)
	req.Header.Set("Content-Type", "application/json")
	// Same order and amount, same key: the provider drops a retried request.
	req.Header.Set("Idempotency-Key", fmt.Sprintf("refund-%s-%d", orderID, cents))
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("payments: refund %s: %w", orderID, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("payments: refund %s: provider answered %s", orderID, resp.Status)
	}
	return nil
}
`

func postgresOps() []op {
	return []op{
		rename("internal/store/memory.go", "internal/store/memstore.go"),
		rename("internal/store/memory_test.go", "internal/store/memstore_test.go"),
		put("internal/store/postgres.go", postgresGo),
		put("migrations/001_orders.sql", `CREATE TABLE orders (
    id             text PRIMARY KEY,
    tenant         text NOT NULL,
    customer_id    text NOT NULL,
    total_cents    bigint NOT NULL CHECK (total_cents > 0),
    refunded_cents bigint NOT NULL DEFAULT 0,
    currency       char(3) NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX orders_tenant_created ON orders (tenant, created_at);
`),
	}
}

const postgresGo = `package store

import (
	"database/sql"
	"errors"
	"fmt"
)

const orderColumns = "id, tenant, customer_id, total_cents, refunded_cents, currency, created_at"

// PostgresStore keeps orders in the orders table (migrations/001_orders.sql).
type PostgresStore struct {
	DB *sql.DB
}

// Get returns the tenant's order with the given id.
func (s *PostgresStore) Get(tenant, id string) (Order, error) {
	query := fmt.Sprintf("SELECT %s FROM orders WHERE tenant = '%s' AND id = '%s'", orderColumns, tenant, id)
	var o Order
	err := s.DB.QueryRow(query).Scan(&o.ID, &o.Tenant, &o.CustomerID, &o.TotalCents, &o.RefundedCents, &o.Currency, &o.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, ErrNotFound
	}
	return o, err
}

// List returns up to limit of the tenant's orders, oldest first.
func (s *PostgresStore) List(tenant string, limit int) ([]Order, error) {
	query := fmt.Sprintf("SELECT %s FROM orders WHERE tenant = '%s' ORDER BY created_at LIMIT %d", orderColumns, tenant, limit)
	rows, err := s.DB.Query(query)
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	defer rows.Close()
	var out []Order
	for rows.Next() {
		var o Order
		if err := rows.Scan(&o.ID, &o.Tenant, &o.CustomerID, &o.TotalCents, &o.RefundedCents, &o.Currency, &o.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
`

func adminOps() []op {
	return []op{
		put("internal/handlers/admin.go", adminGo),
		edit("internal/store/memstore.go",
			"// List returns up to limit", `// All returns every tenant's orders, for the admin export.
func (s *MemStore) All() ([]Order, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Order, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// List returns up to limit`),
		edit("main.go",
			"\t\tr.Post(\"/orders/{id}/refund\", h.Refund)\n",
			"\t\tr.Post(\"/orders/{id}/refund\", h.Refund)\n\t\tr.Get(\"/admin/orders/export\", handlers.ExportOrders(st))\n"),
		edit("internal/handlers/auth.go",
			`			// Tenant keys must never reach the admin routes, even when a
			// router change mounts them behind this same middleware.
			if strings.HasPrefix(r.URL.Path, "/admin/") && !key.Admin {
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
`, ""),
		edit(".github/workflows/ci.yml",
			"  pull_request:\n", "  pull_request_target:\n",
			"  contents: read\n", "  contents: read\n  pull-requests: write\n",
			"# v4.2.2\n", "# v4.2.2\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n",
			"      - run: make test\n", `      - run: go test -race -coverprofile=cover.out ./...
      - uses: northwind-labs/coverage-comment@main
        with:
          profile: cover.out
          github-token: ${{ secrets.GITHUB_TOKEN }}
`),
	}
}

const adminGo = `package handlers

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/northwind-labs/orders/internal/store"
)

// Exporter lists every tenant's orders.
type Exporter interface {
	All() ([]store.Order, error)
}

// ExportOrders serves GET /admin/orders/export: every order as CSV, for
// finance's month-end reconciliation.
func ExportOrders(src Exporter) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		orders, err := src.All()
		if err != nil {
			serverError(w, err)
			return
		}
		w.Header().Set("Content-Type", "text/csv")
		w.Header().Set("Content-Disposition", "attachment; filename=orders.csv")
		cw := csv.NewWriter(w)
		cw.Write([]string{"id", "tenant", "customer_id", "total_cents", "refunded_cents", "currency", "created_at"})
		for _, o := range orders {
			cw.Write([]string{
				o.ID, o.Tenant, o.CustomerID,
				strconv.FormatInt(o.TotalCents, 10), strconv.FormatInt(o.RefundedCents, 10),
				o.Currency, o.CreatedAt.Format(time.RFC3339),
			})
		}
		cw.Flush()
	}
}
`

func containerOps() []op {
	return []op{
		put("Dockerfile", `FROM golang:latest AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/orders .

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/orders /orders
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/orders"]
`),
		put(".dockerignore", ".git\nbin/\ncover.out\n"),
		putBinary("assets/logo.png", logoPNG),
		chmod("scripts/dev-db.sh", "100755"),
		edit("Makefile",
			".PHONY: build test vet lint run\n", ".PHONY: build test vet lint run docker\n",
			"run:\n", "docker:\n\tdocker build -t northwind/orders:dev .\n\nrun:\n"),
		edit("README.md",
			"# orders\n", "<img src=\"assets/logo.png\" alt=\"\" width=\"48\" align=\"right\">\n\n# orders\n",
			"## Configuration\n", "## Container\n\n´´´sh\nmake docker\ndocker run -p 8080:8080 -e ORDERS_API_KEYS=dev:dev-key northwind/orders:dev\n´´´\n\n## Configuration\n"),
	}
}

// logoPNG is a 24x24 paletted PNG: a blue disc with a white ring.
var logoPNG = []byte{
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x18, 0x02, 0x03, 0x00, 0x00, 0x00, 0x9d, 0x19, 0xd5,
	0x6b, 0x00, 0x00, 0x00, 0x09, 0x50, 0x4c, 0x54, 0x45, 0x00, 0x00, 0x00, 0x2b, 0x6c, 0xb0, 0xff,
	0xff, 0xff, 0xaf, 0x06, 0xee, 0xf1, 0x00, 0x00, 0x00, 0x01, 0x74, 0x52, 0x4e, 0x53, 0x00, 0x40,
	0xe6, 0xd8, 0x66, 0x00, 0x00, 0x00, 0x5e, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x5c, 0x8e, 0xb1,
	0x0d, 0xc5, 0x20, 0x0c, 0x44, 0x8f, 0x82, 0x11, 0xd8, 0xe7, 0x8f, 0x40, 0xc1, 0xa3, 0xf8, 0x23,
	0x64, 0x1f, 0x8f, 0x40, 0x11, 0xa6, 0x8c, 0x70, 0x8c, 0x90, 0xe2, 0xc2, 0x27, 0x9d, 0xec, 0x7b,
	0xa7, 0x33, 0x3f, 0xdf, 0xb0, 0x34, 0x43, 0x93, 0x54, 0x00, 0xf7, 0x96, 0x9b, 0xc0, 0xa8, 0x4a,
	0x5c, 0x93, 0xaa, 0xcc, 0x9c, 0xd6, 0x94, 0xfb, 0xe8, 0x63, 0x89, 0x71, 0xa4, 0xfc, 0x8d, 0x9b,
	0x8f, 0xb9, 0x2f, 0xdf, 0xbf, 0x48, 0x89, 0xcc, 0x20, 0x6c, 0x5e, 0xd0, 0xa3, 0x8b, 0x37, 0x7b,
	0x02, 0x00, 0x00, 0xff, 0xff, 0x19, 0x65, 0x26, 0xae, 0x80, 0x31, 0x39, 0x8a, 0x00, 0x00, 0x00,
	0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
}

func loggingOps() []op {
	return []op{
		put("internal/handlers/logging.go", loggingGo),
		edit("main.go",
			"\tr.Use(middleware.RequestID, middleware.Recoverer)\n",
			"\tr.Use(middleware.RequestID, handlers.LogRequests, middleware.Recoverer)\n"),
	}
}

const loggingGo = `package handlers

import (
	"log"
	"net/http"
	"time"
)

// ANSI colours for the status class; red 5xx stand out when tailing logs.
const (
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	red    = "\x1b[31m"
	reset  = "\x1b[0m"
)

// statusRecorder remembers the status code the handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// LogRequests logs one coloured line per request.
func LogRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		color := green
		switch {
		case rec.status >= 500:
			color = red
		case rec.status >= 400:
			color = yellow
		}
		// The key tells which tenant a failing request came from.
		log.Printf("%s%d%s %s %s key=%s %s", color, rec.status, reset,
			r.Method, r.URL.Path, r.Header.Get("X-API-Key"), time.Since(start))
	})
}
`
