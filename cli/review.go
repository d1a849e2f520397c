package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/ui"
)

// reviewOptions are `vouch [RANGE]`'s: the TUI, the default command.
type reviewOptions struct {
	*globalOptions
	Range []string
}

func newReviewCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "vouch [RANGE]",
		Short: "Review AI-authored git commits and record signed decisions",
		Long:  rootLong,
		Example: `  vouch                       # the AI commits of this branch, oldest first
  vouch main..HEAD
  vouch --since=2.weeks --author=alice
  vouch --all HEAD~20..        # every commit, not only AI-authored ones
  vouch demo                  # try it on a sample repository`,
		ValidArgsFunction: completeRevisions(g),
	}
	return withRange(cmd, func(c *cobra.Command, rng []string) error {
		if g.Version {
			return runVersion(&versionOptions{globalOptions: g})
		}
		if err := commandTypo(c, g, rng); err != nil {
			return err
		}
		return runReview(&reviewOptions{globalOptions: g, Range: rng})
	})
}

// commandTypo refuses a first argument that is a near miss of a command
// ("scna") and not a revision of the repository.
func commandTypo(root *cobra.Command, g *globalOptions, rng []string) error {
	if len(rng) == 0 || strings.HasPrefix(rng[0], "-") {
		return nil
	}
	word := rng[0]
	suggestions := suggest(root, word)
	if len(suggestions) == 0 {
		return nil
	}
	if s, err := g.open(); err == nil {
		if _, err := s.Item(word); err == nil {
			return nil // a branch or tag of that name: a range after all
		}
	}
	return fmt.Errorf("unknown command %q and no revision of that name: did you mean %s? (vouch help lists the commands)", word, strings.Join(suggestions, " or "))
}

func runReview(opts *reviewOptions) error {
	if !opts.interactive() {
		return errors.New("the review TUI needs a terminal; without one use `vouch scan` and `vouch decide`")
	}
	s, err := opts.open()
	if err != nil {
		return err
	}
	q, err := s.Queue(opts.Range)
	if err != nil {
		return err
	}
	if len(q.Items) == 0 {
		fmt.Fprintln(opts.out, emptyRange(s, q, opts.All, len(opts.Range) == 0))
		return nil
	}
	return ui.Run(s, q, ui.Options{NoColor: opts.noColor()})
}

// emptyRange says why there is nothing to review: which range was tried,
// and a range that has commits to try instead.
func emptyRange(s *review.Session, q *review.Queue, all, isDefault bool) string {
	tried := safeJoin(q.Range)
	if isDefault {
		tried += " (the default range)"
	}
	if q.Scanned > 0 && !all {
		return fmt.Sprintf("No AI-authored commits among the %d commits of %s; --all reviews every commit.", q.Scanned, tried)
	}
	// Suggest the recent history of HEAD, when it has commits.
	suggestion := "HEAD~100.."
	hist, err := s.Queue([]string{suggestion})
	if err != nil { // fewer than 101 commits: all of them
		suggestion = "HEAD"
		hist, err = s.Queue([]string{suggestion})
	}
	if err != nil || hist.Scanned == 0 {
		return fmt.Sprintf("No commits in %s, and HEAD has none yet.", tried)
	}
	if len(hist.Items) == 0 {
		return fmt.Sprintf("No commits in %s, and none of the %d commits of %s is AI-authored; `vouch --all %s` reviews every commit.", tried, hist.Scanned, suggestion, suggestion)
	}
	flag := ""
	if all {
		flag = "--all "
	}
	return fmt.Sprintf("No commits in %s; try `vouch %s%s` (%d commits to review).", tried, flag, suggestion, len(hist.Items))
}

// suggest names the subcommands of cmd that word may be a typo of.
func suggest(cmd *cobra.Command, word string) []string {
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	return cmd.SuggestionsFor(word)
}
