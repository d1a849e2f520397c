package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/cpuguy83/go-md2man/v2/md2man"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"

	"github.com/vouch-review/vouch/review"
)

// helpOptions are `vouch help [CMD...]`'s.
type helpOptions struct {
	*globalOptions
	Command []string
	root    *cobra.Command
}

func newHelpCmd(g *globalOptions) *cobra.Command {
	opts := &helpOptions{globalOptions: g}
	return &cobra.Command{
		Use:     "help [CMD]",
		Short:   "Usage of vouch or of one command (also vouch CMD --help)",
		Example: "  vouch help\n  vouch help verify\n  vouch help checklist show",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, _, err := c.Root().Find(args)
			if err != nil || cmd == nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					out = append(out, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.Command, opts.root = args, c.Root()
			return runHelp(opts)
		},
	}
}

func runHelp(opts *helpOptions) error {
	cmd := opts.root
	for _, word := range opts.Command {
		next := findSub(cmd, word)
		if next == nil {
			msg := fmt.Sprintf("no help topic %q", strings.Join(opts.Command, " "))
			if s := suggest(cmd, word); len(s) > 0 {
				return errors.New(msg + ": did you mean " + strings.Join(s, " or ") + "?")
			}
			return errors.New(msg + " (vouch help lists the commands)")
		}
		cmd = next
	}
	cmd.InitDefaultHelpFlag() // as if the command ran, so its usage lists -h
	return cmd.Help()
}

func findSub(cmd *cobra.Command, name string) *cobra.Command {
	for _, c := range cmd.Commands() {
		if c.Name() == name || c.HasAlias(name) {
			return c
		}
	}
	return nil
}

// manOptions are `vouch man`'s.
type manOptions struct {
	*globalOptions
	OutDir string
	root   *cobra.Command
}

func newManCmd(g *globalOptions) *cobra.Command {
	opts := &manOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "man [--dir DIR]",
		Short: "Print the vouch(1) man page (or write one page per command)",
		Long: `Print the vouch(1) manual page, every command in one page, generated from the
same definitions as the help. With --dir, write vouch.1 and one page per
command (vouch-scan.1, ...) into DIR instead.`,
		Example: `  vouch man | man -l -
  vouch man > /usr/local/share/man/man1/vouch.1
  vouch man --dir ./man1`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			opts.root = c.Root()
			return runMan(opts)
		},
	}
	cmd.Flags().StringVar(&opts.OutDir, "dir", "", "write one page per command into `DIR`")
	cmd.MarkFlagDirname("dir")
	return cmd
}

func runMan(opts *manOptions) error {
	header := &doc.GenManHeader{Title: "VOUCH", Section: "1", Source: review.ToolVersion(), Manual: "vouch manual"}
	if opts.OutDir != "" {
		if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
			return err
		}
		opts.root.DisableAutoGenTag = true
		return doc.GenManTree(opts.root, header, opts.OutDir)
	}
	_, err := opts.out.Write(manPage(opts.root, header))
	return err
}

// manPage is vouch(1): every command with its flags and examples, as roff.
func manPage(root *cobra.Command, h *doc.GenManHeader) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%% %q %q %q %q %q\n", h.Title, h.Section, "", h.Source, h.Manual)
	fmt.Fprintf(&b, "# NAME\nvouch - %s\n\n", root.Short)
	b.WriteString("# SYNOPSIS\n")
	walk(root, func(c *cobra.Command) {
		if c == root || !c.HasAvailableSubCommands() {
			fmt.Fprintf(&b, "**%s**  \n", manEscape(synopsis(c)))
		}
	})
	fmt.Fprintf(&b, "\n# DESCRIPTION\n%s\n\n", manEscape(root.Long))
	b.WriteString("# GLOBAL OPTIONS\n")
	writeManFlags(&b, root.PersistentFlags())
	writeManFlags(&b, root.LocalNonPersistentFlags())
	b.WriteString("# COMMANDS\n")
	walk(root, func(c *cobra.Command) {
		if c == root {
			return
		}
		title := synopsis(c)
		if c.HasAvailableSubCommands() {
			title = c.CommandPath()
		}
		fmt.Fprintf(&b, "## %s\n%s\n\n", manEscape(title), manEscape(c.Short))
		if c.Long != "" {
			fmt.Fprintf(&b, "%s\n\n", manEscape(c.Long))
		}
		writeManFlags(&b, c.LocalNonPersistentFlags())
		if c.Example != "" {
			fmt.Fprintf(&b, "Examples:\n\n```\n%s\n```\n\n", c.Example)
		}
	})
	b.WriteString(`# EXIT STATUS
0 success; 1 verify found violations, scan --fail-on matched or checklist lint found problems; 2 a usage or runtime error, with one line on standard error saying what is wrong and how to fix it.

# ENVIRONMENT
**NO_COLOR**
: when set and not empty, no colours (as --no-color).

**GIT_PAGER**, **PAGER**
: the pager of vouch log on a terminal, with git's core.pager between them; "cat" or empty means none.

# FILES
**.vouch/config.toml**, **$XDG_CONFIG_HOME/vouch/config.toml**
: configuration: AI markers, policy, notes ref, allowed signers, [verify] policy.

**.vouch/checklists/*.md**
: the organisation's checklists.

# SEE ALSO
**git-notes**(1), **git-log**(1), **ssh-keygen**(1), **githooks**(5)
`)
	return md2man.Render(b.Bytes())
}

// walk visits cmd and its available subcommands, depth first.
func walk(cmd *cobra.Command, fn func(*cobra.Command)) {
	fn(cmd)
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			walk(c, fn)
		}
	}
}

// synopsis is a command's full usage line ("vouch checklist show ID").
func synopsis(c *cobra.Command) string {
	if c.HasParent() {
		return c.Parent().CommandPath() + " " + c.Use
	}
	return c.Use
}

func writeManFlags(b *bytes.Buffer, flags *pflag.FlagSet) {
	flags.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" {
			return
		}
		name, usage := pflag.UnquoteUsage(f)
		head := "**--" + f.Name + "**"
		if f.Shorthand != "" {
			head = "**-" + f.Shorthand + "**, " + head
		}
		if name != "" {
			head += " " + name
		}
		fmt.Fprintf(b, "%s\n: %s\n\n", manEscape(head), manEscape(usage))
	})
}

// manEscape keeps Markdown from reading text as markup.
func manEscape(s string) string {
	return strings.NewReplacer("_", `\_`, "<", `\<`, ">", `\>`, "[", `\[`, "]", `\]`, "|", `\|`, "`", "").Replace(s)
}
