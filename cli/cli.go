// Package cli is vouch's command line: one file per command, each an options
// struct, a cobra command that fills it and a run function. Usage, help, shell
// completions and the man page all come from these definitions.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/visible"
)

// Exit codes (docs/SPEC.md).
const (
	ExitOK      = 0
	ExitFailed  = 1 // verify violations, scan --fail-on matched, checklist lint problems
	ExitTrouble = 2 // usage or runtime error
)

// exitError carries an exit code other than 2 and the one line to print.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// streams are where a command reads and writes; tests pass buffers.
type streams struct {
	in     io.Reader
	out    io.Writer
	errOut io.Writer
}

// globalOptions are the flags every command takes (docs/SPEC.md).
type globalOptions struct {
	Dir     string
	Ref     string
	All     bool
	NoColor bool
	Version bool // the root's --version
	streams
}

func (g *globalOptions) open() (*review.Session, error) {
	return review.Open(review.Options{Dir: g.Dir, Ref: g.Ref, All: g.All})
}

// Main runs vouch with args (without the program name) and returns the exit
// code. Errors are printed as one line on errOut.
func Main(args []string, in io.Reader, out, errOut io.Writer) int {
	g := &globalOptions{streams: streams{in: in, out: out, errOut: errOut}}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errOut)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(errOut, "vouch: "+visible.String(oneLine(ee.msg)))
		}
		return ee.code
	}
	fmt.Fprintln(errOut, "vouch: "+visible.String(oneLine(err.Error())))
	return ExitTrouble
}

// Run is Main on the process's own arguments and standard streams.
func Run() int { return Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr) }

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

const rootLong = `vouch walks the AI-authored commits of a range one at a time, points at the
hunks that change the attack surface, shows the checklists they call for, and
records the reviewer's accept or reject as a signed record in git notes
(refs/notes/vouch). vouch verify checks that trail, in CI or by hand.

With no command, vouch opens the review on RANGE in the terminal.` + rangeHelp

// rangeHelp is the paragraph every command that takes RANGE shows.
const rangeHelp = `

RANGE is git revision syntax (A..B, REV, A...B) and git's range options
(--since=DATE, --until, --author=X, --committer, --grep, -n N, --skip,
--first-parent, --no-merges, --merges, --ancestry-path, --branches, --tags,
--remotes, --not). vouch's own flags may stand anywhere; every other argument,
in order, is passed to git. After --, nothing is read as vouch's: use it for a
git option whose name vouch also has (vouch scan -- --all is git's --all).
Default: @{upstream}..HEAD, else the commits of HEAD not on the default
branch, else the last 100 commits of HEAD. A branch named like a command is
written in full (refs/heads/scan).`

func newRootCmd(g *globalOptions) *cobra.Command {
	root := newReviewCmd(g)
	root.SilenceErrors = true
	root.SilenceUsage = true
	root.CompletionOptions.DisableDefaultCmd = true
	root.SuggestionsMinimumDistance = 2

	pf := root.PersistentFlags()
	pf.StringVarP(&g.Dir, "directory", "C", "", "run as if vouch was started in `DIR` (as git -C)")
	pf.StringVar(&g.Ref, "ref", "", "notes `REF` for decisions (default refs/notes/vouch, or notes_ref in config)")
	pf.BoolVar(&g.All, "all", false, "every commit of the range, not only AI-authored ones")
	pf.BoolVar(&g.NoColor, "no-color", false, "no colours (NO_COLOR is honoured too)")
	root.Flags().BoolVar(&g.Version, "version", false, "print vouch's version")

	root.AddGroup(&cobra.Group{ID: "review", Title: "Reviewing:"}, &cobra.Group{ID: "trail", Title: "The trail:"},
		&cobra.Group{ID: "setup", Title: "Setting up:"})
	add := func(group string, cmds ...*cobra.Command) {
		for _, c := range cmds {
			c.GroupID = group
			root.AddCommand(c)
		}
	}
	add("review", newScanCmd(g), newDecideCmd(g), newChecklistCmd(g), newDemoCmd(g))
	add("trail", newLogCmd(g), newVerifyCmd(g))
	add("setup", newInitCmd(g), newHookCmd(g), newCompletionCmd(g), newManCmd(g), newVersionCmd(g))
	root.SetHelpCommand(newHelpCmd(g))
	root.SetHelpCommandGroupID("setup")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%v (see %s --help)", err, c.CommandPath())
	})
	return root
}
