package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/sarif"
	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/visible"
)

// scanOptions are `vouch scan`'s.
type scanOptions struct {
	*globalOptions
	JSON   bool
	SARIF  bool
	FailOn string
	Jobs   int
	Quiet  bool
	Range  []string
}

func newScanCmd(g *globalOptions) *cobra.Command {
	opts := &scanOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "scan [RANGE]",
		Short: "List AI-authored commits with their evidence and surface findings",
		Long: `List the AI-authored commits of RANGE, oldest first, with the evidence that an
assistant wrote each and the surface findings of its diff. No TUI; --json
prints one document for machines, --sarif a SARIF 2.1.0 log for code scanning. With --fail-on SEVERITY, exit 1 when a
finding of that severity or higher is present.` + rangeHelp,
		Example: `  vouch scan
  vouch scan origin/main..HEAD --json > vouch-scan.json
  vouch scan origin/main..HEAD --sarif > vouch.sarif
  vouch scan --fail-on high -n 20`,
		ValidArgsFunction: completeRevisions(g),
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print one JSON document")
	cmd.Flags().BoolVar(&opts.SARIF, "sarif", false, "print SARIF 2.1.0 for code scanning (GitHub's upload-sarif)")
	cmd.Flags().StringVar(&opts.FailOn, "fail-on", "", "exit 1 when a finding at or above `SEVERITY` ("+strings.Join(surface.Severities, ", ")+") is present")
	cmd.Flags().IntVar(&opts.Jobs, "jobs", 0, "analyse `N` commits at once (default: one per CPU)")
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress line on stderr")
	cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions(surface.Severities, cobra.ShellCompDirectiveNoFileComp))
	return withRange(cmd, func(_ *cobra.Command, rng []string) error {
		opts.Range = rng
		return runScan(opts)
	})
}

// scanJSON is `vouch scan --json`'s document (docs/SPEC.md).
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
	// Cut names files whose diff was too large to analyse whole.
	Cut []string `json:"cut,omitempty"`

	findings []surface.Finding // sorted by severity for the table
}

type scanEvidence struct {
	Kind      string `json:"kind"`
	Text      string `json:"text"`
	Assistant string `json:"assistant"`
}

func runScan(opts *scanOptions) error {
	if opts.JSON && opts.SARIF {
		return errors.New("scan prints --json or --sarif, not both: pick one")
	}
	failOn := -1
	if opts.FailOn != "" {
		if failOn = surface.SeverityRank(opts.FailOn); failOn < 0 {
			return fmt.Errorf("--fail-on takes one of %s (got %q)", strings.Join(surface.Severities, ", "), opts.FailOn)
		}
	}
	if opts.Jobs < 0 {
		return fmt.Errorf("--jobs takes a number of commits to analyse at once, 1 or more (got %d)", opts.Jobs)
	}
	s, err := opts.open()
	if err != nil {
		return err
	}
	defer s.Close()
	// The detectors' rule tables are built while git lists the range.
	go s.Warm()
	var doc scanJSON
	var sarifCommits []sarif.Commit
	failed := false
	bar := opts.newProgress("scanning", opts.Quiet)
	q, err := s.AnalyseRange(context.Background(), opts.Range, opts.Jobs, bar.listing, func(q *review.Queue, i int, an *review.Analysis) error {
		bar.tell(i+1, len(q.Items))
		it := q.Items[i]
		c := scanCommit{
			SHA: it.Commit.SHA, Subject: it.Commit.Subject(),
			Author: it.Commit.AuthorName + " <" + it.Commit.AuthorEmail + ">",
			Date:   it.Commit.AuthorTime.Format("2006-01-02T15:04:05Z07:00"),
			AI:     it.AI(), Assistant: it.Assistants(), Evidence: []scanEvidence{},
			Findings: an.Findings, Summary: surface.Summary(an.Findings), Decision: it.State().String(),
			Cut: an.Cut,
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
		return nil
	})
	bar.done()
	if err != nil {
		return err
	}
	doc.Range = q.Range
	if doc.Commits == nil {
		doc.Commits = []scanCommit{}
	}
	switch {
	case opts.SARIF:
		if err := sarif.Write(opts.out, review.ToolVersion(), sarifCommits); err != nil {
			return err
		}
	case opts.JSON:
		if err := writeJSON(opts.out, doc); err != nil {
			return err
		}
	default:
		printScan(opts.out, q, doc)
	}
	if failed {
		return &exitError{code: ExitFailed, msg: "findings at or above --fail-on " + opts.FailOn}
	}
	return nil
}

func printScan(w io.Writer, q *review.Queue, doc scanJSON) {
	what := "AI-authored commits"
	if len(doc.Commits) == len(q.Items) && q.Scanned == len(q.Items) && q.Scanned > 0 && !allAI(doc) {
		what = "commits"
	}
	fmt.Fprintf(w, "%d %s in %s (%d scanned)\n", len(doc.Commits), what, safeJoin(q.Range), q.Scanned)
	for i, c := range doc.Commits {
		who := "human"
		if c.AI {
			who = strings.Join(c.Assistant, ", ")
		}
		fmt.Fprintf(w, "\n%s  %-10s  %s  [%s]\n", q.Items[i].Commit.Short(), c.Decision, visible.String(c.Subject), visible.String(who))
		if c.Summary != "" {
			fmt.Fprintf(w, "    surface   %s\n", visible.String(c.Summary))
		}
		for _, e := range c.Evidence {
			fmt.Fprintf(w, "    %-9s %s\n", visible.String(e.Kind), visible.String(e.Text))
		}
		for _, f := range c.Cut {
			fmt.Fprintf(w, "    cut       %s: diff too large, analysed up to the limit only\n", visible.String(f))
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
