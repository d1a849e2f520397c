// Command vouch is a terminal review assistant for AI-authored git commits.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/vouch-review/vouch/review/visible"

	"golang.org/x/term"

	"github.com/vouch-review/vouch/checklist"
	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/demo"
	"github.com/vouch-review/vouch/review/sarif"
	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/ui"
)

const usage = `vouch: review AI-authored git commits and record signed decisions

usage:
  vouch [RANGE]                        review the AI-authored commits of RANGE in the TUI
  vouch demo [--dir DIR]               build a sample repository and open the TUI on it
  vouch scan [RANGE] [--json] [--fail-on SEVERITY]
                                       list AI-authored commits with their evidence and findings
  vouch decide REV --accept|--reject [-m TEXT]
                                       record one signed decision without the TUI
  vouch checklist list|show ID|lint    the checklists in force; lint exits 1 on a malformed file
  vouch verify [RANGE] [--json] [--allowed-signers FILE] [--require-complete]
               [--min-reviewers N] [--not-author] [--require-presence] [--allow-carry-over]
                                       check the trail; exit 1 when an AI commit lacks a valid accept
  vouch log [RANGE] [--json] [--allowed-signers FILE]
                                       the decision trail, newest first
  vouch init                           fetch refspecs, notes rewriting and display for the trail
  vouch version

global flags:
  -C DIR          run as if started in DIR
  --ref REF       notes ref for decisions (default refs/notes/vouch)
  --all           every commit of the range, not only AI-authored ones
  --no-color      no colours (NO_COLOR is honoured too)

RANGE is git revision syntax (A..B, REV, --since=DATE, -n N, ...). Default:
@{upstream}..HEAD, else the commits of HEAD not on the default branch, else
the last 100 commits of HEAD.
`

// exitError carries an exit code other than 2.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() {
	err := run(os.Args[1:], os.Stdout)
	if err == nil {
		return
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(os.Stderr, "vouch: "+visible.String(ee.msg))
		}
		os.Exit(ee.code)
	}
	fmt.Fprintln(os.Stderr, "vouch: "+visible.String(oneLine(err.Error())))
	os.Exit(2)
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// globals are the flags every command takes.
type globals struct {
	dir     string
	ref     string
	all     bool
	noColor bool
}

// args is a command line split into known flags and the rest (revisions and
// git range options, kept in order).
type args struct {
	bools  map[string]bool
	values map[string]string
	rest   []string
}

// parseArgs reads flags anywhere on the line. valueFlags take a value
// ("--dir X" or "--dir=X"); boolFlags do not. Anything else is kept in rest,
// for git to read as a range; "--" stops flag parsing.
func parseArgs(argv []string, boolFlags, valueFlags []string) (args, error) {
	a := args{bools: map[string]bool{}, values: map[string]string{}}
	isBool := setOf(boolFlags)
	isValue := setOf(valueFlags)
	for i := 0; i < len(argv); i++ {
		arg := argv[i]
		if arg == "--" {
			a.rest = append(a.rest, argv[i+1:]...)
			break
		}
		name, val, hasVal := strings.Cut(arg, "=")
		switch {
		case isBool[name] && !hasVal:
			a.bools[name] = true
		case isValue[name]:
			if !hasVal {
				if i+1 >= len(argv) {
					return a, fmt.Errorf("%s needs a value", name)
				}
				i++
				val = argv[i]
			}
			a.values[name] = val
		default:
			a.rest = append(a.rest, arg)
		}
	}
	return a, nil
}

func setOf(names []string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

var globalBools = []string{"--all", "--no-color", "-h", "--help"}
var globalValues = []string{"-C", "--ref"}

func run(argv []string, stdout io.Writer) error {
	cmd := ""
	rest := argv
	// The command is the first argument that is not a global flag (or its value).
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		if a == "-C" || a == "--ref" {
			i++
			continue
		}
		if strings.HasPrefix(a, "-") {
			continue
		}
		switch a {
		case "demo", "scan", "decide", "checklist", "verify", "log", "init", "version", "help":
			cmd = a
			rest = append(append([]string{}, argv[:i]...), argv[i+1:]...)
		}
		break // only the first positional argument can be a command
	}
	switch cmd {
	case "demo":
		return cmdDemo(rest, stdout)
	case "scan":
		return cmdScan(rest, stdout)
	case "decide":
		return cmdDecide(rest, stdout)
	case "checklist":
		return cmdChecklist(rest, stdout)
	case "verify":
		return cmdVerify(rest, stdout)
	case "log":
		return cmdLog(rest, stdout)
	case "init":
		return cmdInit(rest, stdout)
	case "version":
		fmt.Fprintln(stdout, review.ToolVersion())
		return nil
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return cmdReview(rest, stdout)
}

func parseGlobals(argv []string, boolFlags, valueFlags []string) (globals, args, error) {
	a, err := parseArgs(argv, append(boolFlags, globalBools...), append(valueFlags, globalValues...))
	if err != nil {
		return globals{}, a, err
	}
	g := globals{dir: a.values["-C"], ref: a.values["--ref"], all: a.bools["--all"], noColor: a.bools["--no-color"]}
	if os.Getenv("NO_COLOR") != "" {
		g.noColor = true
	}
	return g, a, nil
}

func (g globals) open() (*review.Session, error) {
	return review.Open(review.Options{Dir: g.dir, Ref: g.ref, All: g.all})
}

func wantsHelp(a args, stdout io.Writer) bool {
	if a.bools["-h"] || a.bools["--help"] {
		fmt.Fprint(stdout, usage)
		return true
	}
	return false
}

func isTerminal() bool {
	return term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd()))
}

func cmdReview(argv []string, stdout io.Writer) error {
	g, a, err := parseGlobals(argv, nil, nil)
	if err != nil {
		return err
	}
	if wantsHelp(a, stdout) {
		return nil
	}
	if !isTerminal() {
		return errors.New("the review TUI needs a terminal; without one use `vouch scan` and `vouch decide`")
	}
	s, err := g.open()
	if err != nil {
		return err
	}
	q, err := s.Queue(a.rest)
	if err != nil {
		return err
	}
	if len(q.Items) == 0 {
		fmt.Fprintf(stdout, "No AI-authored commits in %s (%d commits scanned); --all reviews every commit.\n", strings.Join(q.Range, " "), q.Scanned)
		return nil
	}
	return ui.Run(s, q, ui.Options{NoColor: g.noColor})
}

func cmdDemo(argv []string, stdout io.Writer) error {
	g, a, err := parseGlobals(argv, nil, []string{"--dir"})
	if err != nil {
		return err
	}
	if wantsHelp(a, stdout) {
		return nil
	}
	if len(a.rest) > 0 {
		return fmt.Errorf("demo takes no arguments besides --dir DIR (got %q)", a.rest[0])
	}
	dir := a.values["--dir"]
	if dir == "" {
		dir, err = os.MkdirTemp("", "vouch-demo-")
		if err != nil {
			return err
		}
	}
	res, err := demo.Build(dir)
	if err != nil {
		return err
	}
	notesCmd := fmt.Sprintf("git -C %s log --notes=vouch %s..%s", res.Dir, res.Base, res.Branch)
	if !isTerminal() {
		fmt.Fprintf(stdout, "Demo repository: %s\nNo terminal here, so the TUI is not opened. Try:\n  vouch -C %s scan\n  vouch -C %s decide HEAD --accept -m 'looks right'\n  %s\n", res.Dir, res.Dir, res.Dir, notesCmd)
		return nil
	}
	g.dir = res.Dir
	s, err := g.open()
	if err != nil {
		return err
	}
	q, err := s.Queue(nil)
	if err != nil {
		return err
	}
	if err := ui.Run(s, q, ui.Options{NoColor: g.noColor}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Demo repository: %s\nYour signed decisions: %s\n", res.Dir, notesCmd)
	return nil
}

// scanJSON is `vouch scan --json`'s document (SPEC.md).
type scanJSON struct {
	Range   []string     `json:"range"`
	Commits []scanCommit `json:"commits"`
}

type scanCommit struct {
	SHA       string            `json:"sha"`
	Subject   string            `json:"subject"`
	Author    string            `json:"author"`
	Date      string            `json:"date"`
	AI        bool              `json:"ai"`
	Assistant []string          `json:"assistants"`
	Evidence  []scanEvidence    `json:"evidence"`
	Findings  []surface.Finding `json:"findings"`
	Summary   string            `json:"summary"`
	Decision  string            `json:"decision"`

	findings []surface.Finding // sorted for the table
}

type scanEvidence struct {
	Kind      string `json:"kind"`
	Text      string `json:"text"`
	Assistant string `json:"assistant"`
}

func cmdScan(argv []string, stdout io.Writer) error {
	g, a, err := parseGlobals(argv, []string{"--json", "--sarif"}, []string{"--fail-on"})
	if err != nil {
		return err
	}
	if wantsHelp(a, stdout) {
		return nil
	}
	if a.bools["--json"] && a.bools["--sarif"] {
		return errors.New("scan prints --json or --sarif, not both: pick one")
	}
	failOn := -1
	if v, ok := a.values["--fail-on"]; ok {
		if failOn = surface.SeverityRank(v); failOn < 0 {
			return fmt.Errorf("--fail-on takes one of %s (got %q)", strings.Join(surface.Severities, ", "), v)
		}
	}
	s, err := g.open()
	if err != nil {
		return err
	}
	q, err := s.Queue(a.rest)
	if err != nil {
		return err
	}
	doc := scanJSON{Range: q.Range, Commits: []scanCommit{}}
	var sarifCommits []sarif.Commit
	failed := false
	for _, it := range q.Items {
		an, err := s.Analyse(it)
		if err != nil {
			return err
		}
		c := scanCommit{
			SHA: it.Commit.SHA, Subject: it.Commit.Subject(),
			Author: it.Commit.AuthorName + " <" + it.Commit.AuthorEmail + ">",
			Date:   it.Commit.AuthorTime.Format("2006-01-02T15:04:05Z07:00"),
			AI:     it.AI(), Assistant: it.Assistants(), Evidence: []scanEvidence{},
			Findings: an.Findings, Summary: surface.Summary(an.Findings), Decision: it.State().String(),
		}
		c.findings = append([]surface.Finding{}, an.Findings...)
		sort.SliceStable(c.findings, func(i, j int) bool {
			return surface.SeverityRank(c.findings[i].Severity) > surface.SeverityRank(c.findings[j].Severity)
		})
		for _, e := range it.Evidence {
			c.Evidence = append(c.Evidence, scanEvidence{Kind: e.Kind, Text: e.Text, Assistant: e.Assistant})
		}
		if c.Assistant == nil {
			c.Assistant = []string{}
		}
		for _, f := range an.Findings {
			if failOn >= 0 && surface.SeverityRank(f.Severity) >= failOn {
				failed = true
			}
		}
		doc.Commits = append(doc.Commits, c)
		sarifCommits = append(sarifCommits, sarif.Commit{SHA: c.SHA, Subject: c.Subject, Author: c.Author, Evidence: it.Evidence, Findings: an.Findings})
	}
	if a.bools["--sarif"] {
		if err := sarif.Write(stdout, review.ToolVersion(), sarifCommits); err != nil {
			return err
		}
	} else if a.bools["--json"] {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return err
		}
	} else {
		printScan(stdout, q, doc)
	}
	if failed {
		return &exitError{code: 1, msg: "findings at or above --fail-on " + a.values["--fail-on"]}
	}
	return nil
}

func printScan(w io.Writer, q *review.Queue, doc scanJSON) {
	what := "AI-authored commits"
	if len(doc.Commits) == len(q.Items) && q.Scanned == len(q.Items) && q.Scanned > 0 && !allAI(doc) {
		what = "commits"
	}
	fmt.Fprintf(w, "%d %s in %s (%d scanned)\n", len(doc.Commits), what, visible.String(strings.Join(q.Range, " ")), q.Scanned)
	for i, c := range doc.Commits {
		who := "human"
		if c.AI {
			who = strings.Join(c.Assistant, ", ")
		}
		fmt.Fprintf(w, "\n%s  %-10s  %s  [%s]\n", q.Items[i].Commit.Short(), c.Decision, visible.String(c.Subject), visible.String(who))
		if c.Summary != "" {
			fmt.Fprintf(w, "    surface   %s\n", c.Summary)
		}
		for _, e := range c.Evidence {
			fmt.Fprintf(w, "    %-9s %s\n", e.Kind, visible.String(e.Text))
		}
		for _, f := range c.findings {
			loc := fmt.Sprintf("%s:%d", f.File, f.Line)
			if f.Side == surface.SideOld {
				loc += " (removed)"
			}
			msg := f.Message
			if f.FirstOfKind {
				msg += " · first of its kind here"
			}
			fmt.Fprintf(w, "    %-8s  %-17s %s  %s\n", f.Severity, f.Category, visible.String(loc), visible.String(msg))
		}
		for _, f := range q.Items[i].Records {
			if f.Err != nil {
				fmt.Fprintf(w, "    note      line %d unreadable: %s\n", f.Line, visible.String(f.Err.Error()))
			}
		}
	}
}

func allAI(doc scanJSON) bool {
	for _, c := range doc.Commits {
		if !c.AI {
			return false
		}
	}
	return true
}

func cmdDecide(argv []string, stdout io.Writer) error {
	g, a, err := parseGlobals(argv, []string{"--accept", "--reject"}, []string{"-m", "--message"})
	if err != nil {
		return err
	}
	if wantsHelp(a, stdout) {
		return nil
	}
	accept, reject := a.bools["--accept"], a.bools["--reject"]
	if accept == reject {
		return errors.New("decide needs exactly one of --accept or --reject: vouch decide REV --accept|--reject [-m TEXT]")
	}
	if len(a.rest) != 1 {
		return errors.New("decide needs one revision: vouch decide REV --accept|--reject [-m TEXT]")
	}
	comment := a.values["-m"]
	if v, ok := a.values["--message"]; ok {
		comment = v
	}
	if reject && strings.TrimSpace(comment) == "" {
		return errors.New("a reject needs a comment saying why: add -m TEXT")
	}
	s, err := g.open()
	if err != nil {
		return err
	}
	it, err := s.Item(a.rest[0])
	if err != nil {
		return err
	}
	an, err := s.Analyse(it)
	if err != nil {
		return err
	}
	e, err := s.Decide(an, review.Decision{Accept: accept, Comment: comment, Via: "cli"})
	if err != nil {
		return err
	}
	verdict := "accepted"
	if reject {
		verdict = "rejected"
	}
	fmt.Fprintf(stdout, "%s %s %s (signed by %s <%s>, %s)\n", verdict, it.Commit.Short(), visible.String(it.Commit.Subject()),
		visible.String(e.Payload.Reviewer.Name), visible.String(e.Payload.Reviewer.Email), s.Ref())
	return nil
}

func cmdChecklist(argv []string, stdout io.Writer) error {
	g, a, err := parseGlobals(argv, nil, nil)
	if err != nil {
		return err
	}
	if wantsHelp(a, stdout) {
		return nil
	}
	const how = "use: vouch checklist list | show ID | lint"
	if len(a.rest) == 0 {
		return errors.New(how)
	}
	s, err := g.open()
	if err != nil {
		return err
	}
	set, problems := s.Checklists()
	switch a.rest[0] {
	case "list":
		if len(a.rest) != 1 {
			return errors.New(how)
		}
		for _, c := range set.All() {
			fmt.Fprintf(stdout, "%-18s %-40s %-34s %s\n", c.ID, visible.String(c.Title), visible.String(c.Source), visible.String(appliesText(c.Applies, c.Severity)))
		}
		if len(problems) > 0 {
			fmt.Fprintf(stdout, "\n%d checklist file problem(s) left some out: run vouch checklist lint\n", len(problems))
		}
		return nil
	case "show":
		if len(a.rest) != 2 {
			return errors.New("use: vouch checklist show ID (ids: vouch checklist list)")
		}
		c := set.Get(a.rest[1])
		if c == nil {
			return fmt.Errorf("no checklist %q (ids: vouch checklist list)", a.rest[1])
		}
		md := "# " + c.Title + "\n\n" + c.Body
		if isTerminal() && !g.noColor {
			width := 80
			if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 20 {
				width = min(w, 100)
			}
			out, err := ui.RenderMarkdown(md, width)
			if err == nil {
				fmt.Fprint(stdout, out)
				return nil
			}
		}
		fmt.Fprint(stdout, visible.Text(md))
		return nil
	case "lint":
		if len(problems) == 0 {
			fmt.Fprintf(stdout, "%d checklists in force, no problems\n", len(set.All()))
			return nil
		}
		for _, p := range problems {
			fmt.Fprintln(stdout, visible.String(p.String()))
		}
		return &exitError{code: 1, msg: fmt.Sprintf("%d checklist problem(s)", len(problems))}
	}
	return errors.New(how)
}

func appliesText(ap checklist.Applies, severity string) string {
	var parts []string
	if ap.AI {
		parts = append(parts, "every AI commit")
	}
	if len(ap.Categories) > 0 {
		parts = append(parts, strings.Join(ap.Categories, ","))
	}
	if len(ap.Rules) > 0 {
		parts = append(parts, "rules "+strings.Join(ap.Rules, ","))
	}
	if len(ap.Paths) > 0 {
		parts = append(parts, "paths "+strings.Join(ap.Paths, ","))
	}
	if severity != "" {
		parts = append(parts, "≥ "+severity)
	}
	return strings.Join(parts, "; ")
}

func cmdVerify(argv []string, stdout io.Writer) error {
	g, a, err := parseGlobals(argv, []string{"--json", "--require-complete", "--not-author", "--require-presence", "--allow-carry-over"},
		[]string{"--allowed-signers", "--min-reviewers"})
	if err != nil {
		return err
	}
	if wantsHelp(a, stdout) {
		return nil
	}
	opts := review.VerifyOptions{
		AllowedSigners:  a.values["--allowed-signers"],
		RequireComplete: a.bools["--require-complete"],
		NotAuthor:       a.bools["--not-author"],
		RequirePresence: a.bools["--require-presence"],
		AllowCarryOver:  a.bools["--allow-carry-over"],
	}
	if v, ok := a.values["--min-reviewers"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("--min-reviewers takes a whole number of 1 or more (got %q)", v)
		}
		opts.MinReviewers = n
	}
	s, err := g.open()
	if err != nil {
		return err
	}
	rep, err := s.Verify(a.rest, opts)
	if err != nil {
		return err
	}
	if a.bools["--json"] {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printVerify(stdout, rep)
	}
	if rep.Violations > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d AI-authored commit(s) without a valid accept", rep.Violations)}
	}
	return nil
}

func printVerify(w io.Writer, rep *review.VerifyReport) {
	counts := map[string]int{}
	ai := 0
	for _, c := range rep.Commits {
		if c.AI {
			ai++
			counts[c.Verdict]++
		}
	}
	fmt.Fprintf(w, "%s: %d AI-authored commits: %d accepted, %d rejected, %d unreviewed (allowed signers: %s)\n",
		visible.String(strings.Join(rep.Range, " ")), ai, counts["accepted"], counts["rejected"], counts["unreviewed"], visible.String(rep.AllowedSigners))
	for _, c := range rep.Commits {
		mark := "✓"
		if c.Violation {
			mark = "✗"
		} else if !c.AI {
			mark = "·"
		}
		fmt.Fprintf(w, "%s %s  %-10s %s\n", mark, c.SHA[:8], c.Verdict, visible.String(c.Subject))
		for _, p := range c.Problems {
			fmt.Fprintf(w, "    %s\n", visible.String(p))
		}
		for _, r := range c.Records {
			line := fmt.Sprintf("    %-7s %-14s %s %s", r.Decision, r.Status, r.Reviewer, r.Time)
			if r.Ref != "" && r.Ref != "refs/notes/vouch" {
				line += " (from " + r.Ref + ")"
			}
			fmt.Fprintln(w, visible.String(line))
			for _, p := range r.Problems {
				fmt.Fprintf(w, "        %s\n", visible.String(p))
			}
		}
	}
}

func cmdLog(argv []string, stdout io.Writer) error {
	g, a, err := parseGlobals(argv, []string{"--json"}, []string{"--allowed-signers"})
	if err != nil {
		return err
	}
	if wantsHelp(a, stdout) {
		return nil
	}
	s, err := g.open()
	if err != nil {
		return err
	}
	entries, err := s.Log(a.rest, a.values["--allowed-signers"])
	if err != nil {
		return err
	}
	if a.bools["--json"] {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	}
	if len(entries) == 0 {
		fmt.Fprintln(stdout, "No decisions recorded in this range.")
		return nil
	}
	paint := logColours(isTerminal() && !g.noColor)
	for _, e := range entries {
		if e.Problem != "" {
			fmt.Fprintf(stdout, "%s  %s\n", paint.sha(e.SHA[:8]), paint.bad(visible.String(e.Problem)))
			continue
		}
		decision := paint.good(fmt.Sprintf("%-6s", e.Decision))
		if e.Decision != "accept" {
			decision = paint.bad(fmt.Sprintf("%-6s", e.Decision))
		}
		status := paint.good(fmt.Sprintf("%-14s", e.Status))
		if e.Status != "valid" {
			status = paint.bad(fmt.Sprintf("%-14s", e.Status))
		}
		fmt.Fprintf(stdout, "%s  %s  %s %s  %s  %s\n", paint.sha(e.SHA[:8]), decision, status, paint.dim(visible.String(e.Time)), visible.String(e.Reviewer), visible.String(e.Subject))
		detail := fmt.Sprintf("checklists %d/%d", e.Ticked, e.Total)
		if e.CarriedFrom != "" {
			detail = fmt.Sprintf("%sed as %s (same patch, before a rebase or cherry-pick; not counted until re-signed) · ", e.Decision, e.CarriedFrom[:8]) + detail
		}
		if len(e.Findings) > 0 {
			detail += " · findings: " + strings.Join(e.Findings, ", ")
		}
		if e.Ref != "" && e.Ref != s.Ref() {
			detail += " · from " + e.Ref
		}
		detail += " · via " + e.Via
		fmt.Fprintf(stdout, "          %s\n", paint.dim(visible.String(detail)))
		if e.Comment != "" {
			fmt.Fprintf(stdout, "          %q\n", e.Comment)
		}
	}
	return nil
}

func cmdInit(argv []string, stdout io.Writer) error {
	g, a, err := parseGlobals(argv, nil, nil)
	if err != nil {
		return err
	}
	if wantsHelp(a, stdout) {
		return nil
	}
	if len(a.rest) > 0 {
		return fmt.Errorf("init takes no arguments (got %q)", a.rest[0])
	}
	s, err := g.open()
	if err != nil {
		return err
	}
	steps, err := review.Init(s.Repo(), s.Ref())
	if err != nil {
		return err
	}
	for _, st := range steps {
		mark := "  "
		if st.Changed {
			mark = "+ "
		}
		fmt.Fprintln(stdout, mark+visible.String(st.What))
	}
	return nil
}

// logPalette colours `vouch log` in a terminal and does nothing otherwise.
type logPalette struct{ on bool }

func logColours(on bool) logPalette { return logPalette{on} }

func (p logPalette) paint(code, s string) string {
	if !p.on {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}
func (p logPalette) good(s string) string { return p.paint("32", s) }
func (p logPalette) bad(s string) string  { return p.paint("31;1", s) }
func (p logPalette) dim(s string) string  { return p.paint("2", s) }
func (p logPalette) sha(s string) string  { return p.paint("33", s) }
