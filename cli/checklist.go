package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vouch-review/vouch/checklist"
	"github.com/vouch-review/vouch/review/visible"
	"github.com/vouch-review/vouch/ui"
)

// checklistOptions are `vouch checklist list|show|lint`'s.
type checklistOptions struct {
	*globalOptions
	JSON bool
	ID   string
}

func newChecklistCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "checklist list|show ID|lint",
		Short: "The checklists in force: list, show one, lint the repository's",
		Long: `The checklists in force: the built-ins, the user's
($XDG_CONFIG_HOME/vouch/checklists/) and the repository's (.vouch/checklists/),
where a file with a built-in's id replaces it.`,
		Example: `  vouch checklist list
  vouch checklist show dependency
  vouch checklist lint`,
		RunE: subcommandMissing,
	}
	cmd.AddCommand(newChecklistListCmd(g), newChecklistShowCmd(g), newChecklistLintCmd(g))
	return cmd
}

// subcommandMissing is the run function of a command that only groups
// others: it names them, or the one a typo was meant to be.
func subcommandMissing(cmd *cobra.Command, args []string) error {
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	if len(args) == 0 {
		return fmt.Errorf("%s needs a subcommand: %s (see %s --help)", cmd.CommandPath(), strings.Join(names, ", "), cmd.CommandPath())
	}
	msg := fmt.Sprintf("unknown command %q for %s", args[0], cmd.CommandPath())
	if s := suggest(cmd, args[0]); len(s) > 0 {
		return errors.New(msg + ": did you mean " + strings.Join(s, " or ") + "?")
	}
	return errors.New(msg + ": use one of " + strings.Join(names, ", "))
}

func newChecklistListCmd(g *globalOptions) *cobra.Command {
	opts := &checklistOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List every checklist in force with its source and what calls it in",
		Example: "  vouch checklist list\n  vouch checklist list --json | jq -r '.checklists[].id'",
		Args:    cobra.NoArgs,
		RunE:    func(*cobra.Command, []string) error { return runChecklistList(opts) },
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the checklists as JSON")
	return cmd
}

func newChecklistShowCmd(g *globalOptions) *cobra.Command {
	opts := &checklistOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one checklist (rendered on a terminal, Markdown otherwise)",
		Example: `  vouch checklist show dependency
  vouch checklist show acme-supply-chain --json`,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return errors.New("use: vouch checklist show ID (ids: vouch checklist list)")
			}
			opts.ID = args[0]
			return runChecklistShow(opts)
		},
		ValidArgsFunction: completeChecklistIDs(g),
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the checklist and its items as JSON")
	return cmd
}

func newChecklistLintCmd(g *globalOptions) *cobra.Command {
	opts := &checklistOptions{globalOptions: g}
	return &cobra.Command{
		Use:   "lint",
		Short: "Check the checklist files; exit 1 on a problem",
		Long: `Print file:line: problem for each malformed checklist file, unknown category or
severity, bad glob, duplicate id or checklist without items, and exit 1 when
there is any.`,
		Example: "  vouch checklist lint",
		Args:    cobra.NoArgs,
		RunE:    func(*cobra.Command, []string) error { return runChecklistLint(opts) },
	}
}

// checklistJSON is one checklist as `list --json` and `show --json` print it.
type checklistJSON struct {
	ID       string      `json:"id"`
	Title    string      `json:"title"`
	Source   string      `json:"source"`
	Applies  appliesJSON `json:"applies"`
	Severity string      `json:"severity,omitempty"`
	Items    []string    `json:"items"`
	Body     string      `json:"body,omitempty"`
}

type appliesJSON struct {
	AI         bool     `json:"ai"`
	Categories []string `json:"categories"`
	Rules      []string `json:"rules"`
	Paths      []string `json:"paths"`
}

type problemJSON struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Msg  string `json:"message"`
}

func toChecklistJSON(c *checklist.Checklist, body bool) checklistJSON {
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	j := checklistJSON{ID: c.ID, Title: c.Title, Source: c.Source, Severity: c.Severity, Items: []string{},
		Applies: appliesJSON{AI: c.Applies.AI, Categories: nonNil(c.Applies.Categories), Rules: nonNil(c.Applies.Rules), Paths: nonNil(c.Applies.Paths)}}
	for _, it := range c.Items {
		j.Items = append(j.Items, it.Text)
	}
	if body {
		j.Body = c.Body
	}
	return j
}

func runChecklistList(opts *checklistOptions) error {
	s, err := opts.open()
	if err != nil {
		return err
	}
	set, problems := s.Checklists()
	if opts.JSON {
		doc := struct {
			Checklists []checklistJSON `json:"checklists"`
			Problems   []problemJSON   `json:"problems"`
		}{Checklists: []checklistJSON{}, Problems: []problemJSON{}}
		for _, c := range set.All() {
			doc.Checklists = append(doc.Checklists, toChecklistJSON(c, false))
		}
		for _, p := range problems {
			doc.Problems = append(doc.Problems, problemJSON{p.File, p.Line, p.Msg})
		}
		return writeJSON(opts.out, doc)
	}
	var rows [][]string
	for _, c := range set.All() {
		rows = append(rows, []string{visible.String(c.ID), visible.String(c.Title), visible.String(c.Source),
			visible.String(appliesText(c.Applies, c.Severity))})
	}
	var header []string
	if opts.outTerminal() {
		header = []string{"ID", "TITLE", "SOURCE", "APPLIES TO"}
	}
	writeTable(opts.out, opts.width(), header, rows)
	if len(problems) > 0 {
		fmt.Fprintf(opts.out, "\n%d checklist file problem(s) left some out: run vouch checklist lint\n", len(problems))
	}
	return nil
}

func runChecklistShow(opts *checklistOptions) error {
	s, err := opts.open()
	if err != nil {
		return err
	}
	set, _ := s.Checklists()
	c := set.Get(opts.ID)
	if c == nil {
		return fmt.Errorf("no checklist %q (ids: vouch checklist list)", opts.ID)
	}
	if opts.JSON {
		return writeJSON(opts.out, toChecklistJSON(c, true))
	}
	md := "# " + c.Title + "\n\n" + c.Body
	if opts.interactive() && !opts.noColor() {
		width := 80
		if w := opts.width(); w > 20 {
			width = min(w, 100)
		}
		if out, err := ui.RenderMarkdown(md, width); err == nil {
			fmt.Fprint(opts.out, out)
			return nil
		}
	}
	fmt.Fprint(opts.out, visible.Text(md))
	return nil
}

func runChecklistLint(opts *checklistOptions) error {
	s, err := opts.open()
	if err != nil {
		return err
	}
	set, problems := s.Checklists()
	if len(problems) == 0 {
		fmt.Fprintf(opts.out, "%d checklists in force, no problems\n", len(set.All()))
		return nil
	}
	for _, p := range problems {
		fmt.Fprintln(opts.out, visible.String(p.String()))
	}
	return &exitError{code: ExitFailed, msg: fmt.Sprintf("%d checklist problem(s)", len(problems))}
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
