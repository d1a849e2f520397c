package sarif

import (
	"slices"
	"strings"
	"sync"

	"github.com/vouch-review/vouch/checklist"
)

type category struct{ title, meaning string }

// categories describe SPEC.md's surface categories for a rule's
// descriptions. A category's built-in checklist, when there is one, gives
// the title instead.
var categories = map[string]category{
	"dependency":        {"New or changed dependency", "New or changed third-party component: manifest or lockfile entry, Docker FROM, Actions uses:, Terraform module or provider, Helm dependency, version downgrade."},
	"dependency-source": {"Mutable or untrusted dependency source", "Mutable or untrusted source: git, http or path dependencies, a replace to a fork, a new registry or index URL, a latest or undigested image."},
	"install-script":    {"Code that runs at install or build time", "Code that runs at install or build time: npm lifecycle scripts, build.rs, composer scripts, new build plugins."},
	"policy":            {"Change denied by organisation policy", "Something the organisation's policy denies (a listed package, import or path rule), or a change under .vouch/."},
	"entry-point":       {"New or changed inbound entry point", "New or changed inbound entry point: route, handler, RPC, GraphQL or websocket service, listener, port, queue consumer, webhook, CLI command or flag, MCP server or tool, extension command, local IPC."},
	"auth":              {"Authentication, authorization or session logic", "Authentication, authorization, session or permission logic added, changed or removed, including tool-approval logic, sandbox policies and allow-lists."},
	"web-config":        {"Web security configuration", "Web security configuration: CORS, CSRF, debug mode, allowed hosts, cookie flags."},
	"egress":            {"New outbound integration", "New outbound integration: HTTP or gRPC client, SaaS or telemetry SDK, new external host."},
	"exec":              {"Process execution or dynamic code", "Process execution or dynamic code: exec, spawn or shell, in-process shells and interpreters, scripts run from the working tree, eval, plugin loading."},
	"native":            {"Type-safety escape", "Type-safety escapes: unsafe, cgo, syscall, linkname."},
	"file":              {"Filesystem access from untrusted input", "Filesystem access whose path comes from untrusted input, uploads, archive extraction, credentials stored on disk, world-writable permissions."},
	"data":              {"Query construction and sensitive data", "Query construction by string building, raw SQL, new sensitive-data fields, untrusted text placed into an LLM's instructions."},
	"deserialization":   {"Unsafe deserialization or XML parsing", "Unsafe deserialization or XML parsing of untrusted data."},
	"crypto":            {"Weak or disabled cryptography", "Weak or disabled crypto or TLS: skipped verification, weak hashes or ciphers, weak randomness for secrets."},
	"secret":            {"Hard-coded credential or key", "Hard-coded credential or key."},
	"logging":           {"Sensitive data in logs or errors", "Sensitive data written to logs or returned in errors."},
	"infra":             {"Infrastructure exposure", "Infrastructure exposure: open ingress, public storage or database, wildcard IAM, privileged or host-network containers, exposed ports."},
	"pipeline":          {"CI/CD trust boundary", "CI/CD trust: pull_request_target or workflow_run, broad permissions, unpinned actions, untrusted input in run:, curl | sh."},
}

func categoryOf(id string) category {
	if c, ok := categories[id]; ok {
		return c
	}
	return category{"Attack-surface change", "A change to the application's attack surface that a reviewer should read."}
}

var builtins = sync.OnceValue(func() []*checklist.Checklist {
	cs, _ := checklist.Builtins() // a test keeps the built-ins free of problems
	return cs
})

// checklistFor is the built-in checklist a category calls in: the rule's
// help is what the reviewer is asked to check.
func checklistFor(cat string) *checklist.Checklist {
	for _, c := range builtins() {
		if slices.Contains(c.Applies.Categories, cat) {
			return c
		}
	}
	return nil
}

// checklistText is a checklist's intro and items as plain text.
func checklistText(c *checklist.Checklist) string {
	var b strings.Builder
	if intro := strings.TrimSpace(c.Intro); intro != "" {
		b.WriteString(intro + "\n\n")
	}
	for _, it := range c.Items {
		b.WriteString("- " + it.Text + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
