package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/visible"
)

// verifyOptions are `vouch verify`'s.
type verifyOptions struct {
	*globalOptions
	JSON   bool
	Quiet  bool
	Policy review.VerifyOptions
	Range  []string
}

func newVerifyCmd(g *globalOptions) *cobra.Command {
	opts := &verifyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "verify [RANGE]",
		Short: "Check the trail: exit 1 when an AI commit lacks a valid accept",
		Long: `Check every decision record of every commit in RANGE against the allowed
signers, and exit 0 only when every AI-authored commit has a valid accept by an
allowed signer and no later valid reject; exit 1 otherwise. Allowed signers,
keys and [verify] policy are read from a trusted revision (--trust-ref, by
default the merge base of the range with the default branch), or from files
given outside the repository; the report says which. The flags add to the
[verify] policy of .vouch/config.toml at that revision.` + rangeHelp,
		Example: `  vouch verify origin/main..HEAD
  vouch verify origin/main..HEAD --allowed-signers ~/.config/vouch/allowed_signers --json
  vouch verify origin/main..HEAD --require-seen --signed-trail
  vouch verify --min-reviewers 2 --not-author --trust-ref origin/main`,
		ValidArgsFunction: completeRevisions(g),
	}
	f := cmd.Flags()
	p := &opts.Policy
	f.BoolVar(&opts.JSON, "json", false, "print the report as JSON")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress line on stderr")
	f.StringVar(&p.AllowedSigners, "allowed-signers", "", "OpenSSH allowed signers `FILE`, outside the work tree (default gpg.ssh.allowedSignersFile, then .vouch/allowed_signers at the trusted revision)")
	f.StringVar(&p.TrustRef, "trust-ref", "", "read allowed signers, keys and policy from `REV` (default: the range's merge base with the default branch)")
	f.BoolVar(&p.RequireComplete, "require-complete", false, "an accept counts only with every checklist item ticked")
	f.BoolVar(&p.RequireSeen, "require-seen", false, "an accept counts only if every surface-changing hunk was on the reviewer's screen")
	f.IntVar(&p.MinReviewers, "min-reviewers", 0, "`N` distinct reviewers must accept each AI commit")
	f.BoolVar(&p.NotAuthor, "not-author", false, "a reviewer may not accept their own commit")
	f.BoolVar(&p.RequirePresence, "require-presence", false, "only signatures by a touched security key count")
	f.BoolVar(&p.AllowCarryOver, "allow-carry-over", false, "count an accept of the same patch on a rebased-away commit")
	f.BoolVar(&p.StrictTime, "strict-time", false, "keys and certificates must be valid now, not only at the decision's time")
	f.BoolVar(&p.SignedTrail, "signed-trail", false, "every notes commit that adds or removes a record must be signed by an allowed signer")
	cmd.MarkFlagFilename("allowed-signers")
	cmd.RegisterFlagCompletionFunc("trust-ref", completeRevisions(g))
	return withRange(cmd, func(c *cobra.Command, rng []string) error {
		if c.Flags().Changed("min-reviewers") && p.MinReviewers < 1 {
			return fmt.Errorf("--min-reviewers takes a whole number of 1 or more (got %d)", p.MinReviewers)
		}
		opts.Range = rng
		return runVerify(opts)
	})
}

func runVerify(opts *verifyOptions) error {
	s, err := opts.open()
	if err != nil {
		return err
	}
	defer s.Close()
	bar := opts.newProgress("verifying", opts.Quiet)
	s.OnProgress(bar.tell)
	rep, err := s.Verify(opts.Range, opts.Policy)
	bar.done()
	if err != nil {
		return err
	}
	if opts.JSON {
		if err := writeJSON(opts.out, rep); err != nil {
			return err
		}
	} else {
		w := opts.colourWriter(opts.out)
		printVerify(w, rep, s.Ref(), newPalette(opts.colour()))
	}
	if rep.Violations > 0 {
		return &exitError{code: ExitFailed, msg: fmt.Sprintf("%d violation(s): the range is not vouched for", rep.Violations)}
	}
	return nil
}

// printVerify prints the report; ref is the session's notes ref, so only
// records from elsewhere (another clone's ref) say where they came from.
func printVerify(w io.Writer, rep *review.VerifyReport, ref string, p palette) {
	counts := map[string]int{}
	ai := 0
	for _, c := range rep.Commits {
		if c.AI {
			ai++
			counts[c.Verdict]++
		}
	}
	fmt.Fprintf(w, "%s: %d AI-authored commits: %d accepted, %d rejected, %d unreviewed\n",
		safeJoin(rep.Range), ai, counts["accepted"], counts["rejected"], counts["unreviewed"])
	if rep.Trusted != "" {
		fmt.Fprintf(w, "trusted: %s\n", visible.String(rep.Trusted))
	}
	for _, warn := range rep.Warnings {
		fmt.Fprintf(w, "%s %s\n", p.Bad.Render("warning:"), visible.String(warn))
	}
	for _, prob := range rep.Trail {
		fmt.Fprintf(w, "%s %s\n", p.Bad.Render("✗ trail:"), visible.String(prob))
	}
	for _, c := range rep.Commits {
		mark := p.Good.Render("✓")
		switch {
		case c.Violation:
			mark = p.Bad.Render("✗")
		case !c.AI:
			mark = p.Dim.Render("·")
		}
		fmt.Fprintf(w, "%s %s  %-10s %s\n", mark, p.SHA.Render(short(c.SHA)), c.Verdict, visible.String(c.Subject))
		for _, prob := range c.Problems {
			fmt.Fprintf(w, "    %s\n", visible.String(prob))
		}
		for _, r := range c.Records {
			line := fmt.Sprintf("    %-7s %-14s %s %s", r.Decision, r.Status, r.Reviewer, r.Time)
			if r.Ref != "" && r.Ref != ref {
				line += " (from " + r.Ref + ")"
			}
			if r.CarriedFrom != "" {
				line += " (carried over from " + short(r.CarriedFrom) + ", same patch)"
			}
			fmt.Fprintln(w, visible.String(line))
			for _, prob := range r.Problems {
				fmt.Fprintf(w, "        %s\n", visible.String(prob))
			}
		}
	}
}

// short is a commit id cut to 8 characters, for a table.
func short(sha string) string {
	if len(sha) > 8 {
		return sha[:8]
	}
	return sha
}
