package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vouch-review/vouch/review/repo"
)

// Commands that take RANGE parse their own arguments: their flags and the
// global ones are vouch's wherever they stand, and every other argument (git
// revisions and git's range options with their values, such as -n 5 or
// --since 2.weeks) is kept in order for git. After "--" nothing is vouch's.
// cobra cannot do this itself: it either refuses or drops flags it does not know.

// rangeRun is the body of a RANGE command once its flags are parsed.
type rangeRun func(cmd *cobra.Command, rng []string) error

// withRange turns cmd into a RANGE command that runs run.
func withRange(cmd *cobra.Command, run rangeRun) *cobra.Command {
	cmd.DisableFlagParsing = true
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(c *cobra.Command, args []string) error {
		flags := c.Flags()
		c.InheritedFlags() // merges the global flags into c.Flags()
		own, rng, err := splitRange(flags, args)
		if err != nil {
			return err
		}
		if err := flags.Parse(own); err != nil {
			return fmt.Errorf("%v (see %s --help)", err, c.CommandPath())
		}
		if help, _ := flags.GetBool("help"); help {
			return c.Help()
		}
		return run(c, rng)
	}
	cmd.ValidArgsFunction = completeRangeFlagValues(cmd.ValidArgsFunction)
	return cmd
}

// completeRangeFlagValues completes the value of a vouch flag, which cobra
// leaves to the command when it does not parse the flags itself, and
// otherwise asks next.
func completeRangeFlagValues(next cobra.CompletionFunc) cobra.CompletionFunc {
	return func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		c.InheritedFlags()
		valueFlag := func(name string) (cobra.CompletionFunc, bool) {
			f := c.Flags().Lookup(name)
			if f == nil || f.NoOptDefVal != "" {
				return nil, false
			}
			fn, ok := c.GetFlagCompletionFunc(name)
			if !ok {
				fn = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
					return nil, cobra.ShellCompDirectiveDefault
				}
			}
			return fn, true
		}
		if name, value, ok := strings.Cut(strings.TrimPrefix(toComplete, "--"), "="); ok && strings.HasPrefix(toComplete, "--") {
			if fn, ok := valueFlag(name); ok {
				values, dir := fn(c, args, value)
				for i, v := range values {
					values[i] = "--" + name + "=" + v
				}
				return values, dir
			}
		}
		if n := len(args); n > 0 && strings.HasPrefix(args[n-1], "--") && !strings.Contains(args[n-1], "=") {
			if fn, ok := valueFlag(args[n-1][2:]); ok {
				return fn(c, args, toComplete)
			}
		}
		if next == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return next(c, args, toComplete)
	}
}

// splitRange separates the arguments that flags knows from the range.
func splitRange(flags *pflag.FlagSet, args []string) (own, rng []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rng = append(rng, args[i+1:]...)
			break
		}
		f, inline := lookupFlag(flags, a)
		if f == nil {
			if strings.HasPrefix(a, "-") && a != "-" {
				if err := unknownFlag(flags, a); err != nil {
					return nil, nil, err
				}
			}
			rng = append(rng, a)
			continue
		}
		own = append(own, a)
		// "--" is never a value: "-C --" is a -C without its DIR.
		if !inline && f.NoOptDefVal == "" && i+1 < len(args) && args[i+1] != "--" {
			i++
			own = append(own, args[i])
		}
	}
	return own, rng, nil
}

// lookupFlag finds the vouch flag an argument names; inline reports a value
// given in the same argument (--ref=X, -Cdir).
func lookupFlag(flags *pflag.FlagSet, a string) (f *pflag.Flag, inline bool) {
	switch {
	case strings.HasPrefix(a, "--") && len(a) > 2:
		name, _, hasValue := strings.Cut(a[2:], "=")
		return flags.Lookup(name), hasValue
	case strings.HasPrefix(a, "-") && len(a) > 1:
		f := flags.ShorthandLookup(a[1:2])
		return f, len(a) > 2
	}
	return nil, false
}

// unknownFlag refuses a flag that is neither vouch's nor a git range option,
// suggesting the vouch flag it is closest to.
func unknownFlag(flags *pflag.FlagSet, a string) error {
	if repo.CheckRange([]string{a}) == nil {
		return nil
	}
	if strings.HasPrefix(a, "--") {
		name, _, _ := strings.Cut(a[2:], "=")
		best, bestD := "", 3
		flags.VisitAll(func(f *pflag.Flag) {
			if d := levenshtein(name, f.Name); d < bestD {
				best, bestD = f.Name, d
			}
		})
		if best != "" {
			return fmt.Errorf("unknown flag --%s: did you mean --%s?", name, best)
		}
	}
	return nil // git's own message says which range options exist
}

// levenshtein is the edit distance between a and b.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
