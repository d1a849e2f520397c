package surface

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/vouch-review/vouch/review/diff"
)

// Categories are SPEC.md's surface categories, in its order.
var Categories = []string{
	"dependency", "dependency-source", "install-script", "policy", "entry-point", "auth",
	"web-config", "egress", "exec", "native", "file", "data", "deserialization", "crypto",
	"secret", "logging", "infra", "pipeline",
}

// Severities in rising order.
var Severities = []string{"low", "medium", "high", "critical"}

// SeverityRank orders severities; unknown ones rank below low.
func SeverityRank(s string) int {
	for i, v := range Severities {
		if v == s {
			return i
		}
	}
	return -1
}

// Side values of a Finding.
const (
	SideNew = "new"
	SideOld = "old"
)

// Change is one file of a commit as the detectors see it: its diff plus its
// content before and after. Before is nil for an added file, After for a
// deleted one; either is nil when the file is binary or too large to read.
type Change struct {
	File   *diff.File
	Before []byte
	After  []byte
}

// Path is the file's path after the commit (before it, for a deletion).
func (c *Change) Path() string { return c.File.Path() }

// Line is one added or removed line with its number on its own side.
type Line struct {
	No   int
	Text string
}

// Added lists the lines the commit adds, with their new line numbers.
func (c *Change) Added() []Line { return c.lines(diff.LineAdded) }

// Removed lists the lines the commit removes, with their old line numbers.
func (c *Change) Removed() []Line { return c.lines(diff.LineDeleted) }

func (c *Change) lines(kind diff.LineKind) []Line {
	var out []Line
	for _, h := range c.File.Hunks {
		for _, l := range h.Lines {
			if l.Kind != kind {
				continue
			}
			n := l.NewNo
			if kind == diff.LineDeleted {
				n = l.OldNo
			}
			out = append(out, Line{No: n, Text: l.Text})
		}
	}
	return out
}

// Detector finds surface changes in one file's change. Detectors are pure:
// no I/O, no global state, safe to call from several goroutines.
type Detector interface {
	// Name identifies the detector family (e.g. "deps", "go").
	Name() string
	// Applies reports whether the detector wants to see this path.
	Applies(path string) bool
	// Detect returns the findings of one change. File, Line, EndLine and
	// Side must point into the diff; Message is one line the reviewer reads.
	Detect(c *Change) []Finding
}

// Context says what kind of file a path is, so that test files, fixtures,
// docs and generated code can be down-ranked or skipped.
type Context int

const (
	ContextCode Context = iota
	ContextTest
	ContextFixture
	ContextDocs
	ContextGenerated
	ContextVendored
)

// Classify tells the context of a path from its name alone.
func Classify(p string) Context {
	lp := strings.ToLower(p)
	base := path.Base(lp)
	if IsAgentPrompt(p) {
		return ContextCode // what an agent runs, not what a reader reads
	}
	segs := strings.Split(lp, "/")
	for _, s := range segs[:len(segs)-1] {
		switch s {
		case "vendor", "node_modules", "third_party":
			return ContextVendored
		case "testdata", "fixtures", "__fixtures__", "__snapshots__", "mocks":
			return ContextFixture
		case "test", "tests", "__tests__", "spec", "e2e":
			return ContextTest
		case "docs", "doc", "examples", "example":
			return ContextDocs
		}
	}
	switch {
	case IsTestFileName(p):
		return ContextTest
	case strings.Contains(base, ".examples."), strings.Contains(base, ".example.") && !strings.HasPrefix(base, ".env"):
		// Snippets kept beside the code for its documentation
		// (streamableHttp.examples.ts); config.example.json too.
		return ContextDocs
	case strings.HasSuffix(base, ".md"), strings.HasSuffix(base, ".rst"), strings.HasSuffix(base, ".adoc"),
		strings.HasSuffix(base, ".txt") && !strings.HasPrefix(base, "requirements") && !strings.HasPrefix(base, "constraints"):
		return ContextDocs
	case strings.HasSuffix(base, ".pb.go"), strings.HasSuffix(base, "_gen.go"), strings.HasSuffix(base, ".gen.go"),
		strings.HasSuffix(base, "_generated.go"), strings.HasSuffix(base, ".min.js"), strings.HasSuffix(base, "_pb2.py"):
		return ContextGenerated
	}
	return ContextCode
}

// IsTestFileName tells whether a file's own name makes it a test, as the
// language's test runner finds it (foo_test.go, test_foo.py, foo_test.py,
// foo.test.ts, foo.spec.js, FooTest.java, FooTests.cs, foo_spec.rb,
// FooTest.kt, FooTest.php). A directory name alone does not.
func IsTestFileName(p string) bool {
	base := strings.ToLower(path.Base(p))
	switch {
	case strings.HasSuffix(base, "_test.go"), strings.HasPrefix(base, "test_") && strings.HasSuffix(base, ".py"),
		strings.HasSuffix(base, "_test.py"), strings.Contains(base, ".test."), strings.Contains(base, ".spec."),
		strings.HasSuffix(base, "test.java"), strings.HasSuffix(base, "tests.cs"), strings.HasSuffix(base, "_spec.rb"),
		strings.HasSuffix(base, "test.kt"), strings.HasSuffix(base, "test.php"),
		strings.Contains(base, ".stories."): // Storybook stories are fixtures too
		return true
	}
	return false
}

// CommitDetector is a detector whose rules depend on the whole commit (the
// versions its manifests and lockfiles put in force): the scanner asks it
// for the commit's own detector before scanning the changes.
type CommitDetector interface {
	ForCommit(changes []*Change) Detector
}

// Scanner runs detectors over a commit's changes and ranks the findings.
type Scanner struct {
	detectors []Detector
}

// NewScanner builds a scanner over detectors.
func NewScanner(detectors ...Detector) *Scanner {
	return &Scanner{detectors: detectors}
}

// Muted reports a finding the review screen lists but does not mark until
// asked (L): a guess (low confidence), or a low-severity note (a routine
// dependency upgrade or removal, GitHub's own actions, a new command or
// flag that turns no safety off, a new action input, a new workflow with
// nothing more to say, anything in tests, docs or examples). A critical
// finding is never muted. The diff's marks, the
// queue's badges and the coverage a decision records are about the rest.
func Muted(f Finding) bool {
	return f.Severity != "critical" && (f.Confidence == "low" || f.Severity == "low")
}

// Confidences in rising order.
var Confidences = []string{"low", "medium", "high"}

// detectorConfidence is the confidence of a detector family's findings when
// the rule does not say: parsed manifests, syntax trees and exact matches
// are high, the pattern rules over blanked source medium.
var detectorConfidence = map[string]string{
	"deps": "high", "go": "high", "infra": "high", "secrets": "high", "hidden": "high",
	"policy": "high", "trust": "high", "lang": "medium",
}

// Scan returns the findings of a commit, sorted by file and line. No
// finding is dropped for its path: in tests, fixtures, docs, examples,
// templates, vendored and generated code it drops to low severity and says
// why (secrets, dependencies and pipelines keep theirs; so does policy).
// A removal in a test file (by its name) is not reported (deleting a test
// removes no check), nor is a removal whose line the commit adds again elsewhere (code
// moved to another file is a move, not a removal).
func (s *Scanner) Scan(changes []*Change) []Finding {
	out := []Finding{}
	moved := movedLines(changes)
	detectors := make([]Detector, len(s.detectors))
	for i, d := range s.detectors {
		detectors[i] = d
		if fc, ok := d.(CommitDetector); ok {
			detectors[i] = fc.ForCommit(changes)
		}
	}
	for _, c := range changes {
		p := c.Path()
		ctx := Classify(p)
		testName := IsTestFileName(p)
		for _, d := range detectors {
			if !d.Applies(p) {
				continue
			}
			for _, f := range d.Detect(c) {
				if f.File == "" {
					f.File = p
				}
				if f.Side == "" {
					f.Side = SideNew
				}
				if f.EndLine < f.Line {
					f.EndLine = f.Line
				}
				if f.Confidence == "" {
					f.Confidence = detectorConfidence[d.Name()]
					if f.Confidence == "" {
						f.Confidence = "medium"
					}
				}
				// A policy finding (the organisation's own rule, hidden or
				// reordering characters, a trust anchor) holds wherever the
				// file lives.
				if f.Category == "policy" {
					out = append(out, f)
					continue
				}
				// What a test sets up (a route, a client, an auth helper, an
				// MCP server) is its scaffolding, not surface the product
				// grew, and the diff shows it: no mark. What a test runs on
				// CI's machines (a process, a file path, native code) stays,
				// low.
				// Only a file whose name makes it a test (one the build
				// leaves out: foo_test.go, test_foo.py, foo.spec.ts) is
				// scaffolding; code under a directory called tests/, mocks/
				// or fixtures/ can still be imported and shipped, so there
				// it stays, low and muted (below), never dropped.
				if testName && testScaffolding[f.Category] {
					continue
				}
				if f.Side == SideOld && f.Category != "secret" {
					if testName {
						continue
					}
					if key := movedKey(f.Evidence); key != "" && moved.added[key] > 0 {
						continue
					}
					if f.Callee != "" && moved.calledElsewhere(f.Callee, p) {
						continue
					}
				}
				if f.Side == SideNew && f.Category != "secret" && f.Category != "dependency" {
					if key := movedKey(f.Evidence); key != "" && moved.removedElsewhere(key, p) {
						// Code moved into a docs, example, test, vendored or
						// generated path loses its severity there: the move
						// is itself what the reviewer must see.
						from := moved.codeSource(key, p)
						if ctx == ContextCode || from == "" {
							continue
						}
						f.Message += " (moved here from " + from + ")"
					}
				}
				// A dependency is the product's wherever its manifest lives,
				// except an example's or the docs' own project: what it
				// installs is the reader's to run, not what ships.
				if why := contextNote[ctx]; why != "" && f.Category != "secret" && (f.Category != "dependency" || ctx == ContextDocs) && f.Category != "pipeline" {
					f.Severity = "low"
					f.Message += " (" + why + ")"
					// A route or an auth call in a test is what the test
					// exercises, not surface the product grew: a reader
					// muting low confidence mutes it.
					if ctx == ContextTest || ctx == ContextFixture {
						f.Confidence = "low"
					}
				}
				out = append(out, f)
			}
		}
	}
	out = movedDependencies(out, changes)
	out = lockfileFindings(out)
	out = oneUnpinnedAction(out)
	out = foldFindings(out)
	// A call to a host the commit's removed lines already called (the
	// client swapped, the call moved to a helper) is not a new
	// integration.
	kept := out[:0]
	for _, f := range out {
		if f.Category == "egress" && f.Side == SideNew && strings.Contains(f.Token, ".") && moved.removesURLTo(f.Token) {
			continue
		}
		kept = append(kept, f)
	}
	out = kept
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	NumberFingerprints(out)
	return out
}

// oneUnpinnedAction keeps one finding for an action used by a moving tag:
// the pipeline's (SPEC.md lists unpinned actions under pipeline), not also
// the dependency reader's on the same line, and one per file.
func oneUnpinnedAction(fs []Finding) []Finding {
	pipeline := map[string]bool{}
	for _, f := range fs {
		if f.Rule == "pipeline/gha-unpinned-action" {
			pipeline[f.File+"\x00"+strconv.Itoa(f.Line)] = true
		}
	}
	// The same action by a moving tag in several jobs of one file is one
	// dependency: the first use, which says how many more.
	first := map[string]int{}
	more := map[string]int{}
	out := fs[:0]
	for _, f := range fs {
		if f.Rule == "deps/actions-unpinned" && pipeline[f.File+"\x00"+strconv.Itoa(f.Line)] {
			continue
		}
		if f.Rule == "pipeline/gha-unpinned-action" && f.Token != "" {
			k := f.File + "\x00" + f.Side + "\x00" + f.Token
			if _, seen := first[k]; seen {
				more[k]++
				continue
			}
			first[k] = len(out)
		}
		out = append(out, f)
	}
	for k, n := range more {
		out[first[k]].Message += fmt.Sprintf(" (%d more use%s in this file)", n, plural(n))
	}
	return out
}

// lockfileFindings keeps one finding per package: a lockfile entry for a
// package the commit's manifest change already reports is the same change.
// When no manifest changed, a package new to the lockfile is medium, not
// low: nothing else in the commit says it arrived.
func lockfileFindings(fs []Finding) []Finding {
	inManifest := map[string]bool{}
	manifest := false
	for _, f := range fs {
		if f.Package != "" && !isLockRule(f.Rule) {
			inManifest[packageName(f.Package)] = true
			manifest = true
		}
	}
	// Routine bumps of packages a file already held (upgrades, removals)
	// are counted per file; past a handful they read as one finding, so a
	// regenerated lockfile or pip-compile output is one line, not a page. Additions,
	// downgrades and new sources stay findings of their own, or list
	// their packages in Packages where they fold: policy judges each.
	bumps := map[string][]int{}
	for i, f := range fs {
		if f.Package != "" && strings.HasPrefix(f.Rule, "deps/") && f.Severity == "low" && (!isLockRule(f.Rule) || !inManifest[packageName(f.Package)]) &&
			(strings.HasSuffix(f.Rule, "-upgraded") || strings.HasSuffix(f.Rule, "-removed") || strings.HasSuffix(f.Rule, "-changed")) {
			bumps[f.File] = append(bumps[f.File], i)
		}
	}
	folded := map[int]bool{}
	var summaries []Finding
	for file, idx := range bumps {
		if len(idx) <= maxLockBumps {
			continue
		}
		up, gone := 0, 0
		first := fs[idx[0]]
		for _, i := range idx {
			folded[i] = true
			if strings.HasSuffix(fs[i].Rule, "-removed") {
				gone++
			} else {
				up++
			}
			if fs[i].Side == SideNew && (first.Side == SideOld || fs[i].Line < first.Line) {
				first = fs[i]
			}
		}
		summaries = append(summaries, Finding{Category: "dependency", Rule: "deps/bumps", Severity: "low", Confidence: "high",
			File: file, Line: first.Line, EndLine: first.Line, Side: first.Side, Evidence: first.Evidence,
			Message: fmt.Sprintf("updates %d packages and drops %d in %s (packages it already held)", up, gone, path.Base(file))})
	}
	// A lockfile regenerated from an older state downgrades (or adds)
	// hundreds of packages at once: past maxLockMass in one file they read
	// as one finding of the highest severity among them, naming the first
	// few, not a page of identical marks.
	mass := map[[2]string][]int{}
	for i, f := range fs {
		if folded[i] || f.Package == "" || !isLockRule(f.Rule) || inManifest[packageName(f.Package)] {
			continue
		}
		for _, kind := range []string{"-downgraded", "-added"} {
			if strings.HasSuffix(f.Rule, kind) {
				mass[[2]string{f.File, kind}] = append(mass[[2]string{f.File, kind}], i)
			}
		}
	}
	keys := make([][2]string, 0, len(mass))
	for key := range mass {
		keys = append(keys, key)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, key := range keys {
		idx := mass[key]
		if len(idx) <= maxLockMass {
			continue
		}
		first, sev := fs[idx[0]], "low"
		var names, all []string
		for _, i := range idx {
			folded[i] = true
			all = append(all, fs[i].Package)
			if SeverityRank(fs[i].Severity) > SeverityRank(sev) {
				sev = fs[i].Severity
			}
			if fs[i].Line < first.Line {
				first = fs[i]
			}
			if len(names) < 3 {
				names = append(names, packageName(fs[i].Package))
			}
		}
		verb, rule := "adds", "deps/lock-additions"
		if !manifest && SeverityRank(sev) < SeverityRank("medium") {
			sev = "medium" // the lockfile alone changed
		}
		if key[1] == "-downgraded" {
			verb, rule = "downgrades", "deps/lock-downgrades"
		}
		summaries = append(summaries, Finding{Category: "dependency", Rule: rule, Severity: sev, Confidence: "high",
			File: key[0], Line: first.Line, EndLine: first.Line, Side: first.Side, Evidence: first.Evidence, Packages: all,
			Message: fmt.Sprintf("%s %d packages in %s (%s, …): the lockfile was regenerated or rewound", verb, len(idx), path.Base(key[0]), strings.Join(names, ", "))})
	}
	out := make([]Finding, 0, len(fs))
	for i, f := range fs {
		if folded[i] {
			continue
		}
		if f.Package != "" && isLockRule(f.Rule) {
			if inManifest[packageName(f.Package)] {
				continue
			}
			if !manifest && strings.HasSuffix(f.Rule, "-added") && f.Severity == "low" {
				f.Severity = "medium"
				f.Message += " (the lockfile alone changed)"
			}
		}
		out = append(out, f)
	}
	return append(out, summaries...)
}

// maxLockBumps is how many routine lockfile bumps are listed one by one.
const maxLockBumps = 5

// maxLockMass is how many downgrades or additions of one lockfile are
// listed one by one.
const maxLockMass = 3

// isLockRule tells a lockfile's rule: deps/npm-lock-added, deps/gosum-lock-upgraded.
func isLockRule(rule string) bool {
	return strings.HasPrefix(rule, "deps/") && strings.Contains(rule, "-lock-")
}

// packageName is a purl without its version.
// movedDependencies: a dependency line one manifest of the commit adds
// and another removes (a monorepo's dependencies moved into a new package)
// moved; it is not new to the product, so the addition is a low note that
// says from where.
func movedDependencies(fs []Finding, changes []*Change) []Finding {
	removedFrom := map[string]string{}
	for _, c := range changes {
		for _, l := range c.Removed() {
			if k := depLine(l.Text); k != "" {
				removedFrom[k] = c.Path()
			}
		}
	}
	if len(removedFrom) == 0 {
		return fs
	}
	for i, f := range fs {
		if f.Side != SideNew || f.Category != "dependency" || !strings.HasSuffix(f.Rule, "-added") {
			continue
		}
		if from, ok := removedFrom[depLine(f.Evidence)]; ok && from != f.File {
			fs[i].Severity = "low"
			fs[i].Message += " (moved from " + from + ")"
		}
	}
	return fs
}

// depLine is a manifest line as compared across files: trimmed, without a
// trailing comma, "" when too short to name a package and its version.
func depLine(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ",")
	if len(s) < 6 {
		return ""
	}
	return s
}

func packageName(purl string) string {
	if i := strings.LastIndexByte(purl, '@'); i > strings.LastIndexByte(purl, '/') {
		return purl[:i]
	}
	return purl
}

// testScaffolding are the categories a test's own set-up falls in.
var testScaffolding = map[string]bool{"entry-point": true, "egress": true, "auth": true, "web-config": true, "logging": true, "data": true}

// contextNote says why a finding in a non-production path is low.
var contextNote = map[Context]string{
	ContextTest: "in a test file", ContextFixture: "in a test fixture", ContextDocs: "in docs or an example",
	ContextGenerated: "in generated code", ContextVendored: "in vendored code",
}

// moves counts the trimmed lines a commit adds and removes, per file, so a
// construct cut from one file and pasted into another reads as a move.
type moves struct {
	added   map[string]int
	removed map[string]map[string]bool // line -> files it was removed from
	text    map[string]string          // file -> the lines it adds, joined
	gone    string                     // every line the commit removes, joined
}

// removesURLTo reports a URL to host on a line the commit removes: a call
// to that host rewritten or moved is not a new integration. Only a host in
// a URL counts, so a callee token ("requests.get") never matches.
func (m moves) removesURLTo(host string) bool {
	return host != "" && strings.Contains(m.gone, "//"+host)
}

// calledElsewhere reports a call to callee on a line the commit adds to a
// file other than path: the call moved (into a constructor, a helper in
// another file), it was not removed.
func (m moves) calledElsewhere(callee, path string) bool {
	for f, t := range m.text {
		if f != path && strings.Contains(t, callee+"(") {
			return true
		}
	}
	return false
}

func (m moves) removedElsewhere(key, path string) bool {
	for f := range m.removed[key] {
		if f != path {
			return true
		}
	}
	return false
}

// codeSource is a production file (not a test, doc or generated one) other
// than path that the line was removed from, "" when there is none.
func (m moves) codeSource(key, path string) string {
	var best string
	for f := range m.removed[key] {
		if f != path && Classify(f) == ContextCode && (best == "" || f < best) {
			best = f
		}
	}
	return best
}

func movedLines(changes []*Change) moves {
	m := moves{added: map[string]int{}, removed: map[string]map[string]bool{}, text: map[string]string{}}
	var gone strings.Builder
	for _, c := range changes {
		var all strings.Builder
		for _, l := range c.Added() {
			if k := movedKey(l.Text); k != "" {
				m.added[k]++
			}
			all.WriteString(l.Text)
			all.WriteByte('\n')
		}
		m.text[c.Path()] = all.String()
		for _, l := range c.Removed() {
			gone.WriteString(l.Text)
			gone.WriteByte('\n')
			if k := movedKey(l.Text); k != "" {
				if m.removed[k] == nil {
					m.removed[k] = map[string]bool{}
				}
				m.removed[k][c.Path()] = true
			}
		}
	}
	m.gone = gone.String()
	return m
}

// movedKey is a line as compared across files: trimmed, and only when long
// enough to say something of its own (a "}" or "return nil" moves nowhere).
func movedKey(line string) string {
	k := strings.Join(strings.Fields(line), " ")
	if len(k) < 16 {
		return ""
	}
	return k
}

// summaryLabels name each category in the one-line summary.
var summaryLabels = map[string][2]string{
	"dependency": {"dep", "deps"}, "dependency-source": {"dep source", "dep sources"},
	"install-script": {"install script", "install scripts"}, "policy": {"policy", "policy"},
	"entry-point": {"entry point", "entry points"}, "auth": {"auth", "auth"},
	"web-config": {"web config", "web config"}, "egress": {"egress", "egress"},
	"exec": {"exec", "exec"}, "native": {"native", "native"}, "file": {"file", "file"},
	"data": {"data", "data"}, "deserialization": {"deserialization", "deserialization"},
	"crypto": {"crypto", "crypto"}, "secret": {"secret", "secrets"}, "logging": {"logging", "logging"},
	"infra": {"infra", "infra"}, "pipeline": {"pipeline", "pipeline"},
}

// Summary is the one-line surface summary of a commit, in SPEC.md's
// category order: "2 deps · entry point · exec".
func Summary(findings []Finding) string {
	counts := map[string]int{}
	for _, f := range findings {
		counts[f.Category]++
	}
	var parts []string
	for _, c := range Categories {
		n := counts[c]
		if n == 0 {
			continue
		}
		l := summaryLabels[c]
		if n == 1 {
			parts = append(parts, l[0])
			continue
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, l[1]))
	}
	return strings.Join(parts, " · ")
}

// MaxSeverity is the highest severity among findings, "" when there are none.
func MaxSeverity(findings []Finding) string {
	best := ""
	for _, f := range findings {
		if SeverityRank(f.Severity) > SeverityRank(best) {
			best = f.Severity
		}
	}
	return best
}

// Warmer is a detector with costly set-up done on first use; Warm does it
// ahead of time, so a caller can pay it on a spare core while it draws.
type Warmer interface{ Warm() }

// Warm sets up every detector that has set-up to do.
func (s *Scanner) Warm() {
	for _, d := range s.detectors {
		if w, ok := d.(Warmer); ok {
			w.Warm()
		}
	}
}
