package secrets

// The matcher below applies a gitleaks config.Config to a fragment of text
// the way gitleaks' detect package does (v8.30.1, detect/detect.go,
// detect/location.go, detect/utils.go), without importing detect: that
// package links gitleaks' report printer, and with it a v1 Charm module
// (lipgloss v0.5, termenv), which SPEC.md forbids. The rules, their
// keywords, regexps, secret groups, entropy thresholds and allowlists all
// still come from gitleaks' own config package and default gitleaks.toml;
// only the loop that applies them lives here, kept line by line to
// detect.detectRule. What detect does and this does not: decoding (base64,
// hex, percent) is off unless asked for with MaxDecodeDepth, which vouch
// never set; .gitleaksignore, baselines, commit allowlists (there is no
// commit here) and reporting do not apply to a diff under review.

import (
	"math"
	"strings"
	"sync"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/zricethezav/gitleaks/v8/config"
)

// gitleaksAllow is gitleaks' inline opt-out: a finding whose line holds it
// is not reported.
const gitleaksAllow = "gitleaks:allow"

// leak is a finding, the fields of gitleaks' report.Finding vouch reads.
// StartLine and EndLine count from the fragment's first line, from 0.
type leak struct {
	RuleID, Description string
	StartLine, EndLine  int
	StartColumn         int
	Line, Match, Secret string
}

// matcher is a set of gitleaks rules ready to apply to fragments.
type matcher struct {
	Config   config.Config
	rules    []matchRule       // in cfg.OrderedRules order
	prefix   *ahocorasick.Trie // every rule keyword, lower case
	keywords int               // patterns in prefix

	// allowed remembers pathAllowed's answers: a file's added lines reach
	// detect once per run of lines, and each time the same path met the
	// same allow-lists' regexps.
	mu      sync.Mutex
	allowed map[allowKey]bool
}

// allowKey is one path under the global allow-lists or under one rule's.
type allowKey struct {
	global     bool
	rule, path string
}

// maxAllowed bounds the remembered answers; past it they are forgotten.
const maxAllowed = 1 << 14

// pathAllowed is pathAllowed(path, lists) remembered, lists being the
// global allow-lists when global is true and rule's own otherwise.
func (m *matcher) pathAllowed(global bool, rule, path string, lists []*config.Allowlist) bool {
	if path == "" || len(lists) == 0 {
		return false
	}
	k := allowKey{global, rule, path}
	m.mu.Lock()
	v, ok := m.allowed[k]
	m.mu.Unlock()
	if ok {
		return v
	}
	v = pathAllowed(path, lists)
	m.mu.Lock()
	if m.allowed == nil || len(m.allowed) >= maxAllowed {
		m.allowed = map[allowKey]bool{}
	}
	m.allowed[k] = v
	m.mu.Unlock()
	return v
}

type matchRule struct {
	config.Rule
	keys []int // prefix pattern indexes of the rule's keywords
}

func newMatcher(cfg config.Config) *matcher {
	m := &matcher{Config: cfg}
	index := map[string]int{}
	var words []string
	for _, id := range cfg.OrderedRules {
		r := cfg.Rules[id]
		mr := matchRule{Rule: r}
		for _, k := range r.Keywords {
			k = strings.ToLower(k)
			i, ok := index[k]
			if !ok {
				i = len(words)
				index[k] = i
				words = append(words, k)
			}
			mr.keys = append(mr.keys, i)
		}
		m.rules = append(m.rules, mr)
	}
	m.prefix = ahocorasick.NewTrieBuilder().AddStrings(words).Build()
	m.keywords = len(words)
	return m
}

// detect is gitleaks' Detector.Detect on one fragment, raw read from path.
func (m *matcher) detect(path, raw string) []leak {
	if m.pathAllowed(true, "", path, m.Config.Allowlists) {
		return nil
	}
	present := make([]bool, m.keywords)
	for _, k := range m.prefix.MatchString(strings.ToLower(raw)) {
		present[k.Pattern()] = true
	}
	var out []leak
	for i := range m.rules {
		r := &m.rules[i]
		if len(r.keys) > 0 && !anyPresent(r.keys, present) {
			continue
		}
		out = append(out, m.detectRule(path, raw, r.Rule, false)...)
	}
	return preferSpecificLeaks(out)
}

func anyPresent(keys []int, present []bool) bool {
	for _, k := range keys {
		if present[k] {
			return true
		}
	}
	return false
}

// detectRule follows detect.detectRule.
func (m *matcher) detectRule(path, raw string, r config.Rule, inherited bool) []leak {
	if r.SkipReport && !inherited {
		return nil
	}
	if m.pathAllowed(false, r.RuleID, path, r.Allowlists) {
		return nil
	}
	if r.Path != nil && !r.Path.MatchString(path) {
		return nil
	}
	// A path-only rule (pkcs12-file) reports the file itself, with no
	// secret and no line: nothing an added line can be pointed at.
	if r.Regex == nil {
		return nil
	}
	matches := r.Regex.FindAllStringIndex(raw, -1)
	if len(matches) == 0 {
		return nil
	}
	newlines := newlineIndices(raw)
	var out []leak
	for _, mi := range matches {
		secret := strings.Trim(raw[mi[0]:mi[1]], "\n")
		mi[1] = mi[0] + len(secret)
		loc := location(newlines, raw, mi)
		if mi[1] > loc.endLineIndex {
			loc.endLineIndex = mi[1]
		}
		f := leak{
			RuleID:      r.RuleID,
			Description: r.Description,
			StartLine:   loc.startLine,
			EndLine:     loc.endLine,
			StartColumn: loc.startColumn,
			Line:        raw[loc.startLineIndex:loc.endLineIndex],
			Match:       secret,
			Secret:      secret,
		}
		if strings.Contains(f.Line, gitleaksAllow) {
			continue
		}
		// The secret is the rule's secretGroup, or else its first
		// non-empty group, of the match (matched again on its own).
		if groups := r.Regex.FindStringSubmatch(f.Secret); len(groups) >= 2 {
			if r.SecretGroup > 0 {
				if len(groups) <= r.SecretGroup {
					continue
				}
				f.Secret = groups[r.SecretGroup]
			} else {
				for _, s := range groups[1:] {
					if len(s) > 0 {
						f.Secret = s
						break
					}
				}
			}
		}
		if r.Entropy != 0 && shannonEntropy(f.Secret) <= r.Entropy {
			continue
		}
		if findingAllowed(f, path, m.Config.Allowlists) || findingAllowed(f, path, r.Allowlists) {
			continue
		}
		out = append(out, f)
	}
	if inherited || len(r.RequiredRules) == 0 {
		return out
	}
	return m.requiredRules(path, raw, r, out)
}

// requiredRules keeps the findings of a multi-part rule whose every required
// rule also matched within its distance, as detect.processRequiredRules.
func (m *matcher) requiredRules(path, raw string, r config.Rule, primary []leak) []leak {
	if len(primary) == 0 {
		return nil
	}
	parts := map[string][]leak{}
	for _, req := range r.RequiredRules {
		rule, ok := m.Config.Rules[req.RuleID]
		if !ok {
			continue
		}
		parts[req.RuleID] = m.detectRule(path, raw, rule, true)
	}
	var out []leak
	for _, p := range primary {
		found := map[string]bool{}
		n := 0
		for _, req := range r.RequiredRules {
			for _, q := range parts[req.RuleID] {
				if within(p, q, req) {
					found[req.RuleID] = true
					n++
				}
			}
		}
		all := n > 0
		for _, req := range r.RequiredRules {
			all = all && found[req.RuleID]
		}
		if all {
			out = append(out, p)
		}
	}
	return out
}

func within(p, q leak, req *config.Required) bool {
	if req.WithinLines != nil && abs(p.StartLine-q.StartLine) > *req.WithinLines {
		return false
	}
	if req.WithinColumns != nil && abs(p.StartColumn-q.StartColumn) > *req.WithinColumns {
		return false
	}
	return true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// pathAllowed is detect.checkCommitOrPathAllowed with no commit.
func pathAllowed(path string, lists []*config.Allowlist) bool {
	if path == "" {
		return false
	}
	for _, a := range lists {
		allowed := a.PathAllowed(path)
		if a.MatchCondition == config.AllowlistMatchAnd {
			// Content checks cannot pass on a path alone.
			if len(a.Regexes) > 0 || len(a.StopWords) > 0 {
				continue
			}
			allowed = len(a.Commits) == 0 && (len(a.Paths) == 0 || allowed)
		}
		if allowed {
			return true
		}
	}
	return false
}

// findingAllowed is detect.checkFindingAllowed with no commit.
func findingAllowed(f leak, path string, lists []*config.Allowlist) bool {
	for _, a := range lists {
		target := f.Secret
		switch a.RegexTarget {
		case "match":
			target = f.Match
		case "line":
			target = f.Line
		}
		regex := a.RegexAllowed(target)
		stop, _ := a.ContainsStopWord(f.Secret)
		var allowed bool
		if a.MatchCondition == config.AllowlistMatchAnd {
			allowed = len(a.Commits) == 0 &&
				(len(a.Paths) == 0 || a.PathAllowed(path)) &&
				(len(a.Regexes) == 0 || regex) &&
				(len(a.StopWords) == 0 || stop)
		} else {
			allowed = regex || stop
		}
		if allowed {
			return true
		}
	}
	return false
}

// preferSpecificLeaks drops a generic rule's finding when a specific rule
// found a secret containing it on the same line, as detect's filter does.
func preferSpecificLeaks(fs []leak) []leak {
	var out []leak
	for _, f := range fs {
		keep := true
		if generic(f.RuleID) {
			for _, g := range fs {
				if f.StartLine == g.StartLine && f.RuleID != g.RuleID &&
					strings.Contains(g.Secret, f.Secret) && !generic(g.RuleID) {
					keep = false
					break
				}
			}
		}
		if keep {
			out = append(out, f)
		}
	}
	return out
}

func generic(rule string) bool { return strings.Contains(strings.ToLower(rule), "generic") }

func shannonEntropy(data string) (entropy float64) {
	if data == "" {
		return 0
	}
	counts := make(map[rune]int)
	for _, c := range data {
		counts[c]++
	}
	inv := 1.0 / float64(len(data))
	for _, n := range counts {
		freq := float64(n) * inv
		entropy -= freq * math.Log2(freq)
	}
	return entropy
}

func newlineIndices(raw string) [][]int {
	var out [][]int
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\n' {
			out = append(out, []int{i, i + 1})
		}
	}
	return out
}

type loc struct {
	startLine, endLine, startColumn, endColumn int
	startLineIndex, endLineIndex               int
}

// location is detect.location: the lines and columns of a match.
func location(newlines [][]int, raw string, mi []int) loc {
	var (
		prev    int
		l       loc
		lineSet bool
		lineNum int
	)
	start, end := mi[0], mi[1]
	if len(newlines) == 0 {
		newlines = [][]int{{len(raw), len(raw) + 1}}
	}
	for n, pair := range newlines {
		lineNum = n
		nl := pair[0]
		if prev <= start && start < nl {
			lineSet = true
			l.startLine, l.endLine = n, n
			l.startColumn = start - prev + 1
			l.startLineIndex = prev
			l.endLineIndex = nl
		}
		if prev < end && end <= nl {
			l.endLine = n
			l.endColumn = end - prev
			l.endLineIndex = nl
		}
		prev = nl
	}
	if !lineSet {
		l.startColumn = start - prev + 1
		l.endColumn = end - prev
		l.startLine, l.endLine = lineNum+1, lineNum+1
		i := 0
		for end+i < len(raw) && raw[end+i] != '\n' && raw[end+i] != '\r' {
			i++
		}
		l.endLineIndex = end + i
	}
	return l
}
