// Package sarif writes the surface findings of a scan as one SARIF 2.1.0
// run, shaped for code-scanning services and within GitHub's limits: a rule
// per rule id, a result per finding located on the side of the diff it is
// about, fingerprints that survive re-scans and rebases, and the commit's AI
// evidence in each result's properties.
package sarif

import (
	"cmp"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/mod/semver"

	"github.com/vouch-review/vouch/review/authorship"
	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/visible"
)

const (
	// Version is the SARIF version written.
	Version = "2.1.0"
	// SchemaURI is the OASIS schema of Version (errata 01).
	SchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// MaxResults is GitHub's limit of results in one run; a log never holds more.
	MaxResults = 25000
	// FingerprintKey names vouch's own partial fingerprint (SARIF §3.27.17).
	FingerprintKey = "vouchFinding/v1"
	// TruncatedID is the notification descriptor of a run cut to MaxResults.
	TruncatedID = "vouch/results-truncated"

	informationURI = "https://github.com/vouch-review/vouch"
	srcRoot        = "%SRCROOT%"
)

// Commit is one analysed commit as `vouch scan` has it.
type Commit struct {
	SHA      string
	Subject  string
	Author   string // "Name <email>"
	Evidence []authorship.Evidence
	Findings []surface.Finding
}

// Write encodes the log of commits to w, one JSON document.
func Write(w io.Writer, toolVersion string, commits []Commit) error {
	return visible.EncodeJSON(w, Build(toolVersion, commits), true)
}

// Build makes the log of commits: one run whose driver is vouch at
// toolVersion ("v1.2.3", "(devel)"; a leading "vouch " is dropped). Results
// follow the commits' order; when there are more than MaxResults, the
// lowest-severity ones are left out and an invocation notification says how
// many.
func Build(toolVersion string, commits []Commit) *Log {
	version := strings.TrimPrefix(toolVersion, "vouch ")
	driver := Driver{Name: "vouch", Version: version, InformationURI: informationURI, Rules: []Rule{}}
	if semver.IsValid(version) {
		driver.SemanticVersion = strings.TrimPrefix(version, "v")
	}

	type pick struct {
		c *Commit
		f *surface.Finding
	}
	var all []pick
	for i := range commits {
		for j := range commits[i].Findings {
			all = append(all, pick{&commits[i], &commits[i].Findings[j]})
		}
	}
	inv := Invocation{ExecutionSuccessful: true}
	if len(all) > MaxResults {
		// Keep the most severe; a stable sort keeps the scan's order among equals.
		order := make([]int, len(all))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int {
			return surface.SeverityRank(all[b].f.Severity) - surface.SeverityRank(all[a].f.Severity)
		})
		keep := order[:MaxResults]
		slices.Sort(keep)
		kept := make([]pick, len(keep))
		for i, k := range keep {
			kept[i] = all[k]
		}
		inv.ToolExecutionNotifications = []Notification{{
			Descriptor: &DescriptorRef{ID: TruncatedID},
			Level:      "warning",
			Message: Message{Text: fmt.Sprintf("The scan found %d results; a run holds at most %d, so the %d least severe were left out. "+
				"Run `vouch scan` for the full list, or scan a shorter range.", len(all), MaxResults, len(all)-MaxResults)},
		}}
		all = kept
	}

	rules := map[string]*ruleStats{}
	for _, p := range all {
		rs := rules[ruleID(p.f)]
		if rs == nil {
			rs = &ruleStats{category: p.f.Category, severity: p.f.Severity}
			rules[ruleID(p.f)] = rs
		}
		if surface.SeverityRank(p.f.Severity) > surface.SeverityRank(rs.severity) {
			rs.severity = p.f.Severity
		}
	}
	ids := make([]string, 0, len(rules))
	for id := range rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
		driver.Rules = append(driver.Rules, rule(id, rules[id]))
	}

	results := make([]Result, 0, len(all))
	seen := map[string]int{}
	for _, p := range all {
		results = append(results, result(p.c, p.f, index[ruleID(p.f)], seen))
	}
	return &Log{
		Schema:  SchemaURI,
		Version: Version,
		Runs:    []Run{{Tool: Tool{Driver: driver}, Invocations: []Invocation{inv}, Results: results}},
	}
}

// ruleID is the finding's rule; a finding without one (a custom rule written
// without an id) is filed under its category.
func ruleID(f *surface.Finding) string {
	if f.Rule != "" {
		return f.Rule
	}
	return "vouch/" + cmp.Or(f.Category, "finding")
}

type ruleStats struct {
	category string
	severity string // the highest among the rule's results
}

// Level is the SARIF level of a vouch severity.
func Level(severity string) string {
	switch severity {
	case "critical", "high":
		return "error"
	case "low":
		return "note"
	}
	return "warning"
}

// SecuritySeverity is the CVSS-like score GitHub reads from a rule's
// properties to rank its alerts: above 9 critical, 7–8.9 high, 4–6.9
// medium, below 4 low.
func SecuritySeverity(severity string) string {
	switch severity {
	case "critical":
		return "9.5"
	case "high":
		return "8.0"
	case "low":
		return "2.0"
	}
	return "5.0"
}

func rule(id string, rs *ruleStats) Rule {
	cat := categoryOf(rs.category)
	title, help := cat.title, Message{Text: cat.meaning, Markdown: cat.meaning}
	if cl := checklistFor(rs.category); cl != nil {
		title = cl.Title
		help = Message{
			Text:     cl.Title + "\n\n" + checklistText(cl),
			Markdown: "## " + cl.Title + "\n\n" + cl.Body,
		}
	}
	tags := []string{"security", "vouch"}
	if rs.category != "" {
		tags = append(tags, rs.category)
	}
	return Rule{
		ID:                   id,
		Name:                 ruleName(id),
		ShortDescription:     Message{Text: title + " (" + id + ")"},
		FullDescription:      Message{Text: cat.meaning},
		Help:                 help,
		DefaultConfiguration: Configuration{Level: Level(rs.severity)},
		Properties: map[string]any{
			"category":          rs.category,
			"tags":              tags,
			"security-severity": SecuritySeverity(rs.severity),
			"problem.severity":  problemSeverity(rs.severity),
		},
	}
}

// problemSeverity is GitHub's non-security severity, for viewers that do
// not read security-severity.
func problemSeverity(severity string) string {
	switch Level(severity) {
	case "error":
		return "error"
	case "note":
		return "recommendation"
	}
	return "warning"
}

// ruleName is the rule id in the PascalCase that SARIF viewers expect of a
// name: "go/exec-command" → "GoExecCommand".
func ruleName(id string) string {
	var b strings.Builder
	up := true
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "Finding"
	}
	return b.String()
}

func result(c *Commit, f *surface.Finding, ruleIndex int, seen map[string]int) Result {
	removed := f.Side == surface.SideOld
	short := c.SHA
	if len(short) > 12 {
		short = short[:12]
	}
	var msg string
	if removed {
		msg = fmt.Sprintf("%s (removed by commit %s; the line numbers are from before it)", f.Message, short)
	} else {
		msg = fmt.Sprintf("%s (commit %s)", f.Message, short)
	}

	start, end, wholeFile := f.Line, f.EndLine, false
	if start < 1 {
		start, end, wholeFile = 1, 1, true
	}
	end = max(end, start)

	// The finding's own fingerprint, as `vouch scan --json` shows it; one
	// that was never numbered is numbered here the same way, per commit.
	fp := f.Fingerprint
	if fp == "" {
		fp = surface.Fingerprint(*f)
		seen[c.SHA+"\x00"+fp]++
		fp += ":" + strconv.Itoa(seen[c.SHA+"\x00"+fp])
	}

	side := f.Side
	if side == "" {
		side = surface.SideNew
	}
	props := map[string]any{
		"category":      f.Category,
		"severity":      f.Severity,
		"side":          side,
		"removed":       removed,
		"evidence":      f.Evidence,
		"commit":        c.SHA,
		"commitSubject": c.Subject,
		"commitAuthor":  c.Author,
		"ai":            len(c.Evidence) > 0,
		"aiEvidence":    aiEvidence(c.Evidence),
	}
	if wholeFile {
		props["wholeFile"] = true
	}
	if f.FirstOfKind {
		props["firstOfKind"] = true
	}
	if f.Package != "" {
		props["package"] = f.Package
	}
	return Result{
		RuleID:    ruleID(f),
		RuleIndex: ruleIndex,
		Level:     Level(f.Severity),
		Message:   Message{Text: escapeBrackets(msg)},
		Locations: []Location{{PhysicalLocation: PhysicalLocation{
			ArtifactLocation: ArtifactURI{URI: fileURI(f.File), URIBaseID: srcRoot},
			Region:           &Region{StartLine: start, EndLine: end},
		}}},
		// GitHub's uploader hashes the line at the checked-out HEAD when
		// primaryLocationLineHash is absent; that line is the wrong one for a
		// removal or for a commit older than HEAD, so vouch supplies its own.
		PartialFingerprints: map[string]string{FingerprintKey: fp, "primaryLocationLineHash": fp},
		Properties:          props,
	}
}

func aiEvidence(ev []authorship.Evidence) []map[string]string {
	out := make([]map[string]string, 0, len(ev))
	for _, e := range ev {
		out = append(out, map[string]string{"kind": e.Kind, "text": e.Text, "assistant": e.Assistant})
	}
	return out
}

// Fingerprint is surface.Fingerprint, the base of every finding's
// fingerprint in `vouch scan --json` and here.
func Fingerprint(f surface.Finding) string { return surface.Fingerprint(f) }

// fileURI is a repository path as a relative URI reference: percent-encoded,
// and never read as a scheme ("a:b" becomes "./a:b").
func fileURI(p string) string {
	return (&url.URL{Path: p}).String()
}

// escapeBrackets keeps repository text in a message from forming a SARIF
// embedded link ("[text](uri)", §3.11.6): brackets are escaped, and so are
// backslashes right before one, so that `\[` stays a backslash and a bracket.
func escapeBrackets(s string) string {
	if !strings.ContainsAny(s, "[]") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			j := i
			for j < len(s) && s[j] == '\\' {
				j++
			}
			run := s[i:j]
			if j < len(s) && (s[j] == '[' || s[j] == ']') {
				run += run
			}
			b.WriteString(run)
			i = j - 1
			continue
		}
		if s[i] == '[' || s[i] == ']' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
