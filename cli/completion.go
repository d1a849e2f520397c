package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vouch-review/vouch/review/visible"
)

// completionOptions are `vouch completion SHELL`'s.
type completionOptions struct {
	*globalOptions
	Shell string
	root  *cobra.Command
}

var completionShells = []string{"bash", "zsh", "fish"}

func newCompletionCmd(g *globalOptions) *cobra.Command {
	opts := &completionOptions{globalOptions: g}
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "Print a shell completion script",
		Long: `Print the completion script of a shell. It completes commands, flags,
revisions (branches, tags, remote branches) and checklist ids.

bash: source <(vouch completion bash), or write it to
/etc/bash_completion.d/vouch.

zsh: vouch completion zsh > "${fpath[1]}/_vouch" (with compinit enabled).

fish: vouch completion fish > ~/.config/fish/completions/vouch.fish.`,
		Example:   "  source <(vouch completion bash)\n  vouch completion zsh > \"${fpath[1]}/_vouch\"",
		ValidArgs: completionShells,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("completion needs one shell: %s", strings.Join(completionShells, ", "))
			}
			opts.Shell, opts.root = args[0], c.Root()
			return runCompletion(opts)
		},
	}
}

func runCompletion(opts *completionOptions) error {
	switch opts.Shell {
	case "bash":
		return opts.root.GenBashCompletionV2(opts.out, true)
	case "zsh":
		return opts.root.GenZshCompletion(opts.out)
	case "fish":
		return opts.root.GenFishCompletion(opts.out, true)
	}
	return fmt.Errorf("no completion for shell %q: use one of %s", opts.Shell, strings.Join(completionShells, ", "))
}

// completeRevisions completes branch, tag and remote-tracking branch names.
func completeRevisions(g *globalOptions) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		s, err := g.open()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		tips, err := s.Repo().ListRefs("refs/heads", "refs/tags", "refs/remotes")
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, t := range tips {
			name := t.Name
			for _, p := range []string{"refs/heads/", "refs/tags/", "refs/remotes/"} {
				name = strings.TrimPrefix(name, p)
			}
			if strings.HasPrefix(name, toComplete) {
				out = append(out, name)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeChecklistIDs completes the ids of the checklists in force.
func completeChecklistIDs(g *globalOptions) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		s, err := g.open()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		set, _ := s.Checklists()
		var out []cobra.Completion
		for _, c := range set.All() {
			if strings.HasPrefix(c.ID, toComplete) {
				out = append(out, cobra.CompletionWithDesc(c.ID, visible.String(c.Title)))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
