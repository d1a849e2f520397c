package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/vouch-review/vouch/review/demo"
	"github.com/vouch-review/vouch/ui"
)

// demoOptions are `vouch demo`'s.
type demoOptions struct {
	*globalOptions
	DemoDir string
}

func newDemoCmd(g *globalOptions) *cobra.Command {
	opts := &demoOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "demo [--dir DIR]",
		Short: "Build a sample repository with AI-authored commits and review it",
		Long: `Build a sample repository with AI-authored commits and a throwaway signing key
(in DIR, or a new temporary folder), then open the review TUI on it. Without a
terminal, print the repository's path and commands to try instead.`,
		Example: `  vouch demo
  vouch demo --dir /tmp/vouch-demo`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return runDemo(opts) },
	}
	cmd.Flags().StringVar(&opts.DemoDir, "dir", "", "build the sample repository in `DIR` (default: a new temporary folder)")
	cmd.MarkFlagDirname("dir")
	return cmd
}

func runDemo(opts *demoOptions) error {
	dir := opts.DemoDir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "vouch-demo-"); err != nil {
			return err
		}
	}
	res, err := demo.Build(dir)
	if err != nil {
		return err
	}
	notesCmd := fmt.Sprintf("git -C %s log --notes=vouch %s..%s", res.Dir, res.Base, res.Branch)
	if !opts.interactive() {
		fmt.Fprintf(opts.out, "Demo repository: %s\nNo terminal here, so the TUI is not opened. Try:\n  vouch -C %s scan\n  vouch -C %s decide HEAD --accept -m 'looks right'\n  %s\n", res.Dir, res.Dir, res.Dir, notesCmd)
		return nil
	}
	g := *opts.globalOptions
	g.Dir = res.Dir
	s, err := g.open()
	if err != nil {
		return err
	}
	q, err := s.Queue(nil)
	if err != nil {
		return err
	}
	if err := ui.Run(s, q, ui.Options{NoColor: opts.noColor()}); err != nil {
		return err
	}
	fmt.Fprintf(opts.out, "Demo repository: %s\nYour signed decisions: %s\n", res.Dir, notesCmd)
	return nil
}
