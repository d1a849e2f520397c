package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/visible"
)

// logOptions are `vouch log`'s.
type logOptions struct {
	*globalOptions
	JSON           bool
	AllowedSigners string
	NoPager        bool
	Quiet          bool
	Range          []string
}

func newLogCmd(g *globalOptions) *cobra.Command {
	opts := &logOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "log [RANGE]",
		Short: "The decision trail, newest first",
		Long: `List the decision records of RANGE's commits, newest first: commit, decision,
signature status, time, reviewer, checklist completion, findings, where the
record came from and the comment. On a terminal the output goes through a
pager as git log's does: GIT_PAGER, core.pager, PAGER, then less.` + rangeHelp,
		Example: `  vouch log
  vouch log origin/main..HEAD --json
  vouch log --no-pager -n 50`,
		ValidArgsFunction: completeRevisions(g),
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the records as JSON")
	cmd.Flags().StringVar(&opts.AllowedSigners, "allowed-signers", "", "check signatures against `FILE` (default gpg.ssh.allowedSignersFile, then .vouch/allowed_signers)")
	cmd.Flags().BoolVar(&opts.NoPager, "no-pager", false, "do not page the output on a terminal")
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress line on stderr")
	cmd.MarkFlagFilename("allowed-signers")
	return withRange(cmd, func(_ *cobra.Command, rng []string) error {
		opts.Range = rng
		return runLog(opts)
	})
}

func runLog(opts *logOptions) error {
	s, err := opts.open()
	if err != nil {
		return err
	}
	defer s.Close()
	bar := opts.newProgress("reading the trail", opts.Quiet)
	s.OnProgress(bar.tell)
	entries, err := s.Log(opts.Range, opts.AllowedSigners)
	bar.done()
	if err != nil {
		return err
	}
	out := opts.out
	if !opts.NoPager && opts.outTerminal() {
		cfg, _ := s.Repo().Config()
		if command := pagerCommand(cfg.Get("core.pager")); command != "" {
			p, err := startPager(command, opts.out, opts.errOut)
			if err != nil {
				return err
			}
			defer p.wait()
			out = p
		}
	}
	if opts.JSON {
		return writeJSON(out, entries)
	}
	printLog(opts.colourWriter(out), entries, s.Ref(), newPalette(opts.colour()))
	return nil
}

func printLog(w io.Writer, entries []review.LogEntry, ref string, p palette) {
	if len(entries) == 0 {
		fmt.Fprintln(w, "No decisions recorded in this range.")
		return
	}
	pad := func(s string, n int) string { return fmt.Sprintf("%-*s", n, visible.String(s)) }
	for _, e := range entries {
		if e.Problem != "" {
			fmt.Fprintf(w, "%s  %s\n", p.SHA.Render(short(e.SHA)), p.Bad.Render(visible.String(e.Problem)))
			continue
		}
		decision := p.Good.Render(pad(e.Decision, 6))
		if e.Decision != "accept" {
			decision = p.Bad.Render(pad(e.Decision, 6))
		}
		status := p.Good.Render(pad(string(e.Status), 14))
		if e.Status != "valid" {
			status = p.Bad.Render(pad(string(e.Status), 14))
		}
		fmt.Fprintf(w, "%s  %s  %s %s  %s  %s\n", p.SHA.Render(short(e.SHA)), decision, status,
			p.Dim.Render(visible.String(e.Time)), visible.String(e.Reviewer), visible.String(e.Subject))
		detail := fmt.Sprintf("checklists %d/%d", e.Ticked, e.Total)
		if c := e.Coverage; c != nil {
			detail += fmt.Sprintf(" · seen %d/%d surface hunks, %d/%d hunks, %d s", c.SurfaceSeen, c.SurfaceHunks, c.HunksSeen, c.Hunks, c.Seconds)
		}
		if e.CarriedFrom != "" {
			detail = fmt.Sprintf("%sed as %s (same patch, before a rebase or cherry-pick; not counted until re-signed) · ", e.Decision, short(e.CarriedFrom)) + detail
		}
		if len(e.Findings) > 0 {
			detail += " · findings: " + strings.Join(e.Findings, ", ")
		}
		if e.Ref != "" && e.Ref != ref {
			detail += " · from " + e.Ref
		}
		detail += " · via " + e.Via
		fmt.Fprintf(w, "          %s\n", p.Dim.Render(visible.String(detail)))
		if e.Comment != "" {
			fmt.Fprintf(w, "          \"%s\"\n", visible.String(e.Comment))
		}
	}
}
