package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/visible"
)

// initOptions are `vouch init`'s.
type initOptions struct {
	*globalOptions
}

func newInitCmd(g *globalOptions) *cobra.Command {
	opts := &initOptions{globalOptions: g}
	return &cobra.Command{
		Use:   "init",
		Short: "Set the repository up to share the trail through its remotes",
		Long: `Set the repository up, idempotently: a fetch refspec per remote for the other
clones' records (refs/notes/remotes/REMOTE/vouch), notes.rewriteRef and
notes.rewrite.* so amend and rebase carry decisions, and notes.displayRef so
git log shows them. Only the repository's own config is written. Lines marked
+ are what changed.`,
		Example: `  vouch init
  git push origin refs/notes/vouch   # once there is a decision to share`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return runInit(opts) },
	}
}

func runInit(opts *initOptions) error {
	s, err := opts.open()
	if err != nil {
		return err
	}
	steps, err := review.Init(s.Repo(), s.Ref())
	if err != nil {
		return err
	}
	// The push of the trail only works once the ref exists.
	tip, err := s.Repo().ResolveRef(s.Ref())
	if err != nil {
		return err
	}
	for _, st := range steps {
		mark := "  "
		if st.Changed {
			mark = "+ "
		}
		what := st.What
		if cmd, ok := strings.CutPrefix(what, "run: "); ok && tip == "" {
			what = fmt.Sprintf("after the first decision (vouch decide or the TUI) creates %s, run: %s", s.Ref(), cmd)
		}
		fmt.Fprintln(opts.out, mark+visible.String(what))
	}
	return nil
}
