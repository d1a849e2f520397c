// Package secrets finds hard-coded credentials and keys (category secret) in
// the lines a commit adds, with gitleaks' default rule set.
//
// The rules are gitleaks' own (github.com/zricethezav/gitleaks/v8/config and
// its default gitleaks.toml), not a copy, so they move with each release.
// Their matching loop (keyword prefilter, entropy, secretGroup, global and
// per-rule allowlists with regexTarget and AND conditions, stopwords,
// gitleaks:allow, multi-part rules, generic-vs-specific de-duplication) is
// re-done in match.go after gitleaks' detect package, which cannot be
// imported: it links a v1 Charm module (lipgloss v0.5, termenv) through its
// report printer, and SPEC.md forbids linking one. The rule set is built on
// the first Detect (lazily, never at start-up; see BenchmarkInit). gitleaks'
// zerolog logger is silenced before first use, so it never prints.
package secrets

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"path"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/rs/zerolog"
	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/logging"

	"github.com/vouch-review/vouch/review/surface"
)

const category = "secret"

// maxEvidence bounds the evidence so one minified line cannot flood the UI.
const maxEvidence = 240

// New returns the secrets detector. It costs nothing until the first Detect.
func New() surface.Detector { return detector{} }

type detector struct{}

func (detector) Name() string { return "secrets" }

// binaryExt lists extensions whose content is never text a secret can be
// read from; gitleaks' global allowlist skips most of them too, but checking
// here spares building the rule set for a commit of images.
var binaryExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".bmp": true, ".ico": true, ".webp": true,
	".tif": true, ".tiff": true, ".psd": true, ".pdf": true, ".zip": true, ".gz": true, ".tgz": true,
	".bz2": true, ".xz": true, ".zst": true, ".7z": true, ".rar": true, ".tar": true, ".jar": true,
	".war": true, ".whl": true, ".exe": true, ".dll": true, ".so": true, ".dylib": true, ".a": true,
	".o": true, ".class": true, ".pyc": true, ".wasm": true, ".woff": true, ".woff2": true,
	".ttf": true, ".otf": true, ".eot": true, ".mp3": true, ".mp4": true, ".mov": true, ".avi": true,
	".wav": true, ".ogg": true, ".flac": true, ".webm": true, ".bin": true, ".dat": true,
}

// Applies is true for every path except obviously binary ones.
func (detector) Applies(p string) bool {
	return !binaryExt[strings.ToLower(path.Ext(p))]
}

// engine is built once, on the first Detect, so that start-up and commands
// that never scan do not pay for compiling 220 regular expressions.
var engine struct {
	once sync.Once
	e    *rules
	err  error
}

// rules is gitleaks' default rule set split by how far a match can reach.
// gitleaks prefilters by keyword per fragment, so one keyword anywhere in a
// 10,000-line file makes it run that rule's regular expression over all of
// it (Go's regexp runs at ~0.3 µs a byte on the generic rule). Nearly every
// rule's match contains its keyword and spans at most a few lines, so those
// rules only need the lines around a keyword: near runs them on windows
// reaching as many lines either side of each keyword as its rules' regexps
// can span (read from their syntax). The cost of this speed: a near rule
// whose match lies away from every one of its keywords, which gitleaks would
// still report, is missed; no default rule relies on that. The few whose match
// can run on for many lines (a PEM private key, a Kubernetes Secret) stay in
// far and see whole runs of added lines, still behind gitleaks' prefilter.
type rules struct {
	near, far *matcher
	span      int               // the widest reach of a near rule
	keywords  *ahocorasick.Trie // near's keywords, lower case
	reach     []int             // by keyword pattern index: the widest reach of its rules
}

// maxSpan is the most lines a near rule's match may cover.
const maxSpan = 12

func gitleaks() (*rules, error) {
	engine.once.Do(func() {
		engine.e, engine.err = load()
	})
	return engine.e, engine.err
}

func load() (*rules, error) {
	// gitleaks logs through a package-level zerolog logger that writes to
	// stderr; vouch owns the terminal, so silence it before any call.
	logging.Logger = zerolog.Nop()
	// A private viper instance: gitleaks' detect.NewDetectorDefaultConfig
	// uses the global one, which is neither ours nor safe to share.
	v := viper.New()
	v.SetConfigType("toml")
	if err := v.ReadConfig(strings.NewReader(config.DefaultConfig)); err != nil {
		return nil, fmt.Errorf("secrets: read gitleaks config: %w", err)
	}
	var vc config.ViperConfig
	if err := v.Unmarshal(&vc); err != nil {
		return nil, fmt.Errorf("secrets: decode gitleaks config: %w", err)
	}
	cfg, err := vc.Translate()
	if err != nil {
		return nil, fmt.Errorf("secrets: gitleaks config: %w", err)
	}
	near, far := subset(cfg), subset(cfg)
	span := 0
	reach := map[string]int{}
	for id, r := range cfg.Rules {
		n := -1
		if r.Regex != nil && len(r.Keywords) > 0 && len(r.RequiredRules) == 0 {
			n = newlines(r.Regex.String())
		}
		if n < 0 || n > maxSpan {
			add(&far, id, r)
			continue
		}
		add(&near, id, r)
		span = max(span, n)
		for _, k := range r.Keywords {
			k = strings.ToLower(k)
			reach[k] = max(reach[k], n)
		}
	}
	// Multi-part rules look their parts up in their own matcher's config.
	for _, r := range far.Rules {
		for _, req := range r.RequiredRules {
			if part, ok := cfg.Rules[req.RuleID]; ok {
				add(&far, req.RuleID, part)
			}
		}
	}
	var words []string
	var reaches []int
	for k := range near.Keywords {
		words = append(words, k)
		reaches = append(reaches, reach[k])
	}
	return &rules{
		near:     newMatcher(near),
		far:      newMatcher(far),
		span:     span,
		keywords: ahocorasick.NewTrieBuilder().AddStrings(words).Build(),
		reach:    reaches,
	}, nil
}

func subset(cfg config.Config) config.Config {
	c := cfg
	c.Rules = map[string]config.Rule{}
	c.Keywords = map[string]struct{}{}
	c.OrderedRules = nil
	return c
}

func add(c *config.Config, id string, r config.Rule) {
	if _, ok := c.Rules[id]; ok {
		return
	}
	c.Rules[id] = r
	c.OrderedRules = append(c.OrderedRules, id)
	for _, k := range r.Keywords {
		c.Keywords[strings.ToLower(k)] = struct{}{}
	}
}

// newlines is the most newlines a match of expr can contain, -1 when
// unbounded or when expr does not parse.
func newlines(expr string) int {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return -1
	}
	return maxNL(re.Simplify())
}

func maxNL(re *syntax.Regexp) int {
	const unbounded = -1
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			if r == '\n' {
				n++
			}
		}
		return n
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return 1
			}
		}
		return 0
	case syntax.OpAnyChar:
		return 1
	case syntax.OpCapture:
		return maxNL(re.Sub[0])
	case syntax.OpConcat:
		sum := 0
		for _, sub := range re.Sub {
			n := maxNL(sub)
			if n == unbounded {
				return unbounded
			}
			sum += n
		}
		return sum
	case syntax.OpAlternate:
		most := 0
		for _, sub := range re.Sub {
			n := maxNL(sub)
			if n == unbounded {
				return unbounded
			}
			most = max(most, n)
		}
		return most
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		n := maxNL(re.Sub[0])
		switch {
		case n == unbounded:
			return unbounded
		case n == 0:
			return 0
		case re.Op == syntax.OpQuest:
			return n
		case re.Op == syntax.OpRepeat && re.Max >= 0:
			return n * re.Max
		}
		return unbounded
	}
	// Empty matches, anchors, word boundaries, AnyCharNotNL.
	return 0
}

// run is a block of added lines with consecutive new line numbers: the unit
// gitleaks sees, so a multi-line key added in one piece is matched whole,
// while lines the commit did not add never join a match.
type run struct {
	first int // new line number of lines[0]
	lines []string
}

func runs(added []surface.Line) []run {
	var out []run
	for _, l := range added {
		if n := len(out); n > 0 && out[n-1].first+len(out[n-1].lines) == l.No {
			out[n-1].lines = append(out[n-1].lines, l.Text)
			continue
		}
		out = append(out, run{first: l.No, lines: []string{l.Text}})
	}
	return out
}

// Detect reports the secrets on the lines the commit adds.
func (detector) Detect(c *surface.Change) []surface.Finding {
	if c.File == nil || c.File.Binary {
		return nil
	}
	added := c.Added()
	if len(added) == 0 {
		return nil
	}
	e, err := gitleaks()
	if err != nil {
		// The embedded config is fixed at build time; a failure here is a
		// programming error that tests catch, not something a commit causes.
		return nil
	}
	p := c.Path()
	var hits []hit
	for _, r := range runs(added) {
		hits = append(hits, scan(e.far, p, r)...)
		for _, w := range e.windows(r) {
			hits = append(hits, scan(e.near, p, w)...)
		}
	}
	hits = preferSpecific(hits)

	var out []surface.Finding
	seen := map[string]bool{}
	for _, h := range hits {
		f, r := h.f, h.r
		if f.Secret == "" || strings.HasPrefix(f.Match, "file detected:") {
			// Path-only rules (pkcs12-file) name binary key files, which
			// carry no added lines; nothing here to point at.
			continue
		}
		// A secret the file already held was exposed by an earlier commit;
		// re-indenting or moving its line does not make it new.
		if c.Before != nil && bytes.Contains(c.Before, []byte(f.Secret)) {
			continue
		}
		if notACredential(f.Secret, p) {
			continue
		}
		start := r.first + clamp(f.StartLine, len(r.lines))
		end := r.first + clamp(f.EndLine, len(r.lines))
		key := fmt.Sprintf("%s\x00%d\x00%s", f.RuleID, start, f.Secret)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, finding(f, r, start, end))
	}
	// gitleaks returns findings in rule order; the reviewer reads by line.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Rule < out[j].Rule
	})
	return out
}

// hit is a gitleaks finding with the run of lines it was found in; its
// StartLine and EndLine count from the run's first line, from 0.
type hit struct {
	f leak
	r run
}

func scan(d *matcher, path string, r run) []hit {
	// The trailing newline makes the last line end like a line of a file,
	// so gitleaks' line arithmetic and `$` anchors behave as on a file.
	raw := strings.Join(r.lines, "\n") + "\n"
	var out []hit
	for _, f := range d.detect(path, raw) {
		out = append(out, hit{f, r})
	}
	return out
}

// windows cuts a run into the pieces the near rules must see: around every
// line that holds a keyword, as many lines either side as the keyword's rules
// can reach (a match holds its keyword, so it lies within), overlapping
// pieces merged. Lines far from any keyword are never handed to a regexp.
func (e *rules) windows(r run) []run {
	lower := strings.ToLower(strings.Join(r.lines, "\n"))
	// starts[i] is the byte offset of line i in lower; ToLower keeps
	// offsets only for ASCII, so offsets are recomputed on lower itself.
	starts := make([]int, 0, len(r.lines))
	starts = append(starts, 0)
	for i := 0; i < len(lower); i++ {
		if lower[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	var out []run
	lo, hi := -1, -1 // the window being grown, in line indexes
	for _, m := range e.keywords.MatchString(lower) {
		line := sort.SearchInts(starts, int(m.Pos())+1) - 1
		if line >= len(r.lines) {
			line = len(r.lines) - 1
		}
		n := e.reach[m.Pattern()]
		from, to := max(0, line-n), min(len(r.lines)-1, line+n)
		if lo >= 0 && from <= hi+1 {
			hi = max(hi, to)
			continue
		}
		if lo >= 0 {
			out = append(out, run{first: r.first + lo, lines: r.lines[lo : hi+1]})
		}
		lo, hi = from, to
	}
	if lo >= 0 {
		out = append(out, run{first: r.first + lo, lines: r.lines[lo : hi+1]})
	}
	return out
}

// preferSpecific drops a generic-api-key finding when a vendor rule found
// the same secret on the same line, as gitleaks does within one fragment;
// here the two may come from different detectors or windows.
func preferSpecific(hits []hit) []hit {
	out := hits[:0:0]
	for _, h := range hits {
		if strings.Contains(strings.ToLower(h.f.RuleID), "generic") && covered(h, hits) {
			continue
		}
		out = append(out, h)
	}
	return out
}

func covered(g hit, hits []hit) bool {
	for _, h := range hits {
		if !strings.Contains(strings.ToLower(h.f.RuleID), "generic") &&
			h.r.first+h.f.StartLine == g.r.first+g.f.StartLine && strings.Contains(h.f.Secret, g.f.Secret) {
			return true
		}
	}
	return false
}

func clamp(i, n int) int {
	if i < 0 {
		return 0
	}
	if i >= n {
		return n - 1
	}
	return i
}

func finding(f leak, r run, start, end int) surface.Finding {
	red := Redact(f.Secret)
	var evidence string
	if strings.Contains(f.Secret, "\n") {
		// A multi-line secret (a PEM block) cannot be replaced within one
		// line. Its armour line names the key type and holds no key
		// material, so it is shown; any other first line is redacted.
		first := strings.TrimSpace(strings.SplitN(f.Secret, "\n", 2)[0])
		evidence = Redact(first)
		if phrasing().armour.MatchString(first) {
			evidence = first + " …"
		}
	} else {
		// With a secretGroup the secret may sit on a later line of the match
		// than the one it starts on; show the line that holds it.
		line := r.lines[start-r.first]
		for i := start; i <= end; i++ {
			if l := r.lines[i-r.first]; strings.Contains(l, f.Secret) {
				line = l
				break
			}
		}
		evidence = strings.TrimSpace(strings.ReplaceAll(line, f.Secret, red))
	}
	evidence = truncate(evidence)
	return surface.Finding{
		Category: category,
		Rule:     "secret/" + f.RuleID,
		Severity: severity(f.RuleID),
		Line:     start,
		EndLine:  end,
		Side:     surface.SideNew,
		Evidence: evidence,
		Message:  "hard-coded " + describe(f.RuleID, f.Description) + " " + red,
		Token:    f.RuleID,
	}
}

// Redact keeps the first four characters of a secret, enough to recognise
// its kind (AKIA, ghp_, sk_l), and hides the rest.
func Redact(s string) string {
	i, n := 0, 0
	for i < len(s) && n < 4 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	if i >= len(s) {
		// Nothing would be hidden; a secret this short is still a secret.
		return "…"
	}
	return s[:i] + "…"
}

func truncate(s string) string {
	if len(s) <= maxEvidence {
		return s
	}
	i := maxEvidence
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// unbranded rules match shapes any service may use rather than one vendor's
// documented prefix, so a hit is likelier to be a test value.
var unbranded = map[string]string{
	"generic-api-key":        "low",
	"jwt":                    "medium",
	"jwt-base64":             "medium",
	"curl-auth-header":       "medium",
	"curl-auth-user":         "medium",
	"kubernetes-secret-yaml": "medium",
}

// severity rates a gitleaks rule: private keys critical (they sign and
// decrypt, and cannot be scoped), vendor-prefixed tokens high, the rest lower.
func severity(rule string) string {
	if s, ok := unbranded[rule]; ok {
		return s
	}
	switch rule {
	case "private-key", "age-secret-key", "pkcs12-file":
		return "critical"
	}
	return "high"
}

// phrasing holds the expressions that shape messages, compiled on first
// use like the rules rather than at program start.
var phrasing = sync.OnceValue(func() (p struct{ armour, lead, trail *regexp.Regexp }) {
	// armour is a PEM header line: "-----BEGIN RSA PRIVATE KEY-----".
	p.armour = regexp.MustCompile(`^-----BEGIN [A-Z0-9 _-]{1,100}-----$`)
	// lead is the narration gitleaks' descriptions open with ("Uncovered a
	// possible …"); trail is the consequence they end with (", posing …").
	p.lead = regexp.MustCompile(`^(?i:identified|uncovered|detected|discovered|found|exposed)\s+(?:(?:an?|the)\s+)?(?:(?:possible|potential)\s+)?(?:pattern (?:that may indicate|that resembles|resembling)\s+(?:an?\s+)?)?`)
	p.trail = regexp.MustCompile(`(?:,|\s+(?:which|that|posing|potentially|risking|could|and)\s).*$`)
	return p
})

// describe turns a gitleaks description into the noun the reviewer reads:
// "Uncovered a GitHub Personal Access Token, potentially leading to …" →
// "GitHub Personal Access Token". Descriptions that do not follow the usual
// shape fall back to the rule id ("sourcegraph access token").
func describe(rule, desc string) string {
	s := strings.TrimSuffix(strings.TrimSpace(desc), ".")
	if m := phrasing().lead.FindString(s); m != "" {
		s = phrasing().trail.ReplaceAllString(s[len(m):], "")
		s = strings.TrimSpace(s)
		if s != "" && len(s) <= 60 {
			return s
		}
	}
	return strings.ReplaceAll(rule, "-", " ")
}

// Warm loads gitleaks' rules now instead of on the first Detect.
func (detector) Warm() { _, _ = gitleaks() }

// placeholderWords mark a value written to stand in for a credential.
var placeholderWords = regexp.MustCompile(`(?i)(^|[^a-z])(test|dummy|fake|mock|example|sample|placeholder|changeme|redacted|secret|your[-_]?(api[-_]?)?(key|token|secret))([^a-z]|$)|^x{3,}$|xxxx`)

// notACredential reports a match that cannot sign anyone in: an unsigned
// JWT (alg "none", or no signature part), or, in a test or fixture file, a
// value that says it is a placeholder (test-key, dummy, xxx).
func notACredential(secret, path string) bool {
	if unsignedJWT(secret) {
		return true
	}
	switch surface.Classify(path) {
	case surface.ContextTest, surface.ContextFixture:
		return placeholderWords.MatchString(secret)
	}
	return false
}

func unsignedJWT(s string) bool {
	s = strings.TrimPrefix(s, "Bearer ")
	if i := strings.LastIndex(s, ":"); i >= 0 && strings.HasPrefix(s[i+1:], "eyJ") {
		s = s[i+1:] // "workos:eyJ…"
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "eyJ") {
		return false
	}
	if parts[2] == "" {
		return true
	}
	h, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	if err != nil {
		return false
	}
	return strings.Contains(strings.ReplaceAll(string(h), " ", ""), `"alg":"none"`)
}
