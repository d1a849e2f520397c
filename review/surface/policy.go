package surface

import (
	"fmt"
	"regexp"
	"strings"
)

// Policy is the organisation's own rules from .vouch/config.toml.
type Policy struct {
	DeniedPackages []string          `toml:"denied_packages"` // purl-like globs: "pkg:npm/event-stream", "pkg:golang/github.com/evil/*", or a bare name glob
	DeniedImports  []string          `toml:"denied_imports"`  // import path globs: "unsafe", "github.com/evil/*"
	Paths          []PathRule        `toml:"paths"`
	Rules          map[string]string `toml:"rules"` // rule id or category -> "off" or a severity
	Custom         []CustomRule      `toml:"custom"`
}

// PathRule raises the severity of findings in matching files.
type PathRule struct {
	Glob     string `toml:"glob"`
	Severity string `toml:"severity"` // at least this
}

// CustomRule is a regular expression over added lines.
type CustomRule struct {
	ID       string   `toml:"id"`
	Category string   `toml:"category"`
	Severity string   `toml:"severity"`
	Paths    []string `toml:"paths"` // globs; empty = every file
	Pattern  string   `toml:"pattern"`
	Message  string   `toml:"message"`
}

// CompiledPolicy is a checked Policy, ready to apply.
type CompiledPolicy struct {
	deniedPackages []*regexp.Regexp
	deniedPkgText  []string
	deniedImports  []*regexp.Regexp
	deniedImpText  []string
	paths          []compiledPath
	rules          map[string]string
	custom         []compiledCustom
}

type compiledPath struct {
	glob     *regexp.Regexp
	severity string
}

type compiledCustom struct {
	CustomRule
	paths   []*regexp.Regexp
	pattern *regexp.Regexp
}

func isCategory(c string) bool {
	for _, v := range Categories {
		if v == c {
			return true
		}
	}
	return false
}

// Compile checks every rule and reports the first problem in one line.
func (p Policy) Compile() (*CompiledPolicy, error) {
	cp := &CompiledPolicy{rules: map[string]string{}}
	for _, g := range p.DeniedPackages {
		re, err := Glob(strings.TrimPrefix(g, "pkg:"))
		if err != nil {
			return nil, fmt.Errorf("policy.denied_packages %q: %w", g, err)
		}
		cp.deniedPackages = append(cp.deniedPackages, re)
		cp.deniedPkgText = append(cp.deniedPkgText, g)
	}
	for _, g := range p.DeniedImports {
		re, err := Glob(g)
		if err != nil {
			return nil, fmt.Errorf("policy.denied_imports %q: %w", g, err)
		}
		cp.deniedImports = append(cp.deniedImports, re)
		cp.deniedImpText = append(cp.deniedImpText, g)
	}
	for i, pr := range p.Paths {
		re, err := Glob(pr.Glob)
		if err != nil {
			return nil, fmt.Errorf("policy.paths[%d] glob %q: %w", i, pr.Glob, err)
		}
		if SeverityRank(pr.Severity) < 0 {
			return nil, fmt.Errorf("policy.paths[%d]: severity %q is not one of %s", i, pr.Severity, strings.Join(Severities, ", "))
		}
		cp.paths = append(cp.paths, compiledPath{glob: re, severity: pr.Severity})
	}
	for k, v := range p.Rules {
		if v != "off" && SeverityRank(v) < 0 {
			return nil, fmt.Errorf("policy.rules %q = %q: use \"off\" or one of %s", k, v, strings.Join(Severities, ", "))
		}
		cp.rules[k] = v
	}
	for i, c := range p.Custom {
		where := fmt.Sprintf("policy.custom[%d]", i)
		if c.ID == "" {
			return nil, fmt.Errorf("%s: id is missing", where)
		}
		if !isCategory(c.Category) {
			return nil, fmt.Errorf("%s %s: category %q is not one of SPEC.md's categories", where, c.ID, c.Category)
		}
		if SeverityRank(c.Severity) < 0 {
			return nil, fmt.Errorf("%s %s: severity %q is not one of %s", where, c.ID, c.Severity, strings.Join(Severities, ", "))
		}
		re, err := regexp.Compile(c.Pattern)
		if err != nil || c.Pattern == "" {
			return nil, fmt.Errorf("%s %s: pattern %q is not a valid regular expression", where, c.ID, c.Pattern)
		}
		cc := compiledCustom{CustomRule: c, pattern: re}
		for _, g := range c.Paths {
			gre, err := Glob(g)
			if err != nil {
				return nil, fmt.Errorf("%s %s: path %q: %w", where, c.ID, g, err)
			}
			cc.paths = append(cc.paths, gre)
		}
		cp.custom = append(cp.custom, cc)
	}
	return cp, nil
}

// Glob compiles a path glob: * matches within a segment, ** across
// segments, ? one character; a glob without a slash matches the base name
// anywhere, as .gitignore does.
func Glob(g string) (*regexp.Regexp, error) {
	if g == "" {
		return nil, fmt.Errorf("empty glob")
	}
	var b strings.Builder
	b.WriteString("^")
	if !strings.Contains(g, "/") {
		b.WriteString("(?:.*/)?")
	}
	for i := 0; i < len(g); i++ {
		c := g[i]
		switch c {
		case '*':
			if i+1 < len(g) && g[i+1] == '*' {
				i++
				if i+1 < len(g) && g[i+1] == '/' {
					i++
					b.WriteString("(?:.*/)?")
				} else {
					b.WriteString(".*")
				}
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

func matchAny(res []*regexp.Regexp, s string) int {
	for i, re := range res {
		if re.MatchString(s) {
			return i
		}
	}
	return -1
}

// Detector runs the custom rules and the denied imports over added lines.
func (cp *CompiledPolicy) Detector() Detector { return policyDetector{cp} }

type policyDetector struct{ cp *CompiledPolicy }

func (policyDetector) Name() string             { return "policy" }
func (policyDetector) Applies(path string) bool { return true }

var importRE = regexp.MustCompile(`^\s*(?:import\s+(?:[\w.]+\s+)?"([^"]+)"|"([^"]+)"\s*$|[\w.]+\s+"([^"]+)"\s*$|import\s+.*?from\s+['"]([^'"]+)['"]|(?:const|let|var)\s+.*?=\s*require\(\s*['"]([^'"]+)['"]\s*\)|import\s+([\w.]+)|from\s+([\w.]+)\s+import|use\s+([\w:]+))`)

func (d policyDetector) Detect(c *Change) []Finding {
	var out []Finding
	p := c.Path()
	// An import quoted in prose (a README, a doc page) imports nothing.
	code := Classify(p) != ContextDocs
	for _, l := range c.Added() {
		if len(d.cp.deniedImports) > 0 && code {
			if m := importRE.FindStringSubmatch(l.Text); m != nil {
				imp := ""
				for _, g := range m[1:] {
					if g != "" {
						imp = g
						break
					}
				}
				if i := matchAny(d.cp.deniedImports, imp); imp != "" && i >= 0 {
					out = append(out, Finding{Category: "policy", Rule: "policy/denied-import", Severity: "high",
						Line: l.No, Evidence: strings.TrimSpace(l.Text), Token: imp,
						Message: fmt.Sprintf("imports %s, denied by policy (%s)", imp, d.cp.deniedImpText[i])})
				}
			}
		}
		for _, cr := range d.cp.custom {
			if len(cr.paths) > 0 && matchAny(cr.paths, p) < 0 {
				continue
			}
			if cr.pattern.MatchString(l.Text) {
				msg := cr.Message
				if msg == "" {
					msg = "matches custom rule " + cr.ID
				}
				out = append(out, Finding{Category: cr.Category, Rule: cr.ID, Severity: cr.Severity,
					Line: l.No, Evidence: strings.TrimSpace(l.Text), Message: msg})
			}
		}
	}
	return out
}

// Apply adds a policy finding for every denied package, drops findings whose
// rule or category is turned off, re-rates the rest, and raises severities
// on the paths the organisation cares most about.
func (cp *CompiledPolicy) Apply(findings []Finding) []Finding {
	out := make([]Finding, 0, len(findings))
	for _, f := range findings {
		for _, pkg := range append([]string{f.Package}, f.Packages...) {
			if pkg == "" || f.Side == SideOld {
				continue
			}
			name := strings.TrimPrefix(pkg, "pkg:")
			bare := name
			if i := strings.LastIndexByte(bare, '@'); i > 0 {
				bare = bare[:i]
			}
			_, short, _ := strings.Cut(bare, "/") // without the ecosystem
			if i := matchAnyOf(cp.deniedPackages, name, bare, short); i >= 0 {
				out = append(out, Finding{Category: "policy", Rule: "policy/denied-package", Severity: "high",
					File: f.File, Line: f.Line, EndLine: f.EndLine, Side: f.Side, Evidence: f.Evidence, Package: pkg,
					Message: fmt.Sprintf("%s is denied by policy (%s)", bare, cp.deniedPkgText[i])})
			}
		}
		sev, byRule := cp.rules[f.Rule]
		if !byRule {
			sev = cp.rules[f.Category]
		}
		if sev == "off" {
			continue
		}
		if sev != "" {
			f.Severity = sev
		}
		for _, pr := range cp.paths {
			if pr.glob.MatchString(f.File) && SeverityRank(f.Severity) < SeverityRank(pr.severity) {
				f.Severity = pr.severity
			}
		}
		out = append(out, f)
	}
	// A denied-package finding is new here; the others keep their place.
	NumberFingerprints(out)
	return out
}

func matchAnyOf(res []*regexp.Regexp, names ...string) int {
	for _, n := range names {
		if i := matchAny(res, n); i >= 0 {
			return i
		}
	}
	return -1
}
