package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/visible"
)

// decideOptions are `vouch decide`'s.
type decideOptions struct {
	*globalOptions
	Rev     string
	Accept  bool
	Reject  bool
	Message string
}

const decideUse = "vouch decide REV --accept|--reject [-m TEXT]"

func newDecideCmd(g *globalOptions) *cobra.Command {
	opts := &decideOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "decide REV --accept|--reject [-m TEXT]",
		Short: "Record one signed decision without the TUI",
		Long: `Record a signed accept or reject of one commit in the notes trail, as the TUI
does, signed with git's own signing configuration (gpg.format,
user.signingKey). A reject needs a comment saying why.`,
		Example: `  vouch decide HEAD --accept -m 'route and dependency checked'
  vouch decide 1a2b3c4d --reject -m 'shells out with sh -c on request data'`,
		ValidArgsFunction: completeRevisions(g),
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return errors.New("decide needs one revision: " + decideUse)
			}
			opts.Rev = args[0]
			return runDecide(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Accept, "accept", false, "accept the commit")
	cmd.Flags().BoolVar(&opts.Reject, "reject", false, "reject the commit (needs -m)")
	cmd.Flags().StringVarP(&opts.Message, "message", "m", "", "the decision's comment `TEXT`")
	return cmd
}

func runDecide(opts *decideOptions) error {
	if opts.Accept == opts.Reject {
		return errors.New("decide needs exactly one of --accept or --reject: " + decideUse)
	}
	if opts.Reject && strings.TrimSpace(opts.Message) == "" {
		return errors.New("a reject needs a comment saying why: add -m TEXT")
	}
	s, err := opts.open()
	if err != nil {
		return err
	}
	it, err := s.Item(opts.Rev)
	if err != nil {
		return err
	}
	an, err := s.Analyse(it)
	if err != nil {
		return err
	}
	_, e, err := s.Decide(an, review.Decision{Accept: opts.Accept, Comment: opts.Message, Via: "cli"})
	if err != nil {
		return err
	}
	verdict := "accepted"
	if opts.Reject {
		verdict = "rejected"
	}
	fmt.Fprintf(opts.out, "%s %s %s (signed by %s <%s>, %s)\n", verdict, it.Commit.Short(), visible.String(it.Commit.Subject()),
		visible.String(e.Payload.Reviewer.Name), visible.String(e.Payload.Reviewer.Email), visible.String(s.Ref()))
	return nil
}
