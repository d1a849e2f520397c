package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vouch-review/vouch/review"
)

// versionOptions are `vouch version`'s (and `vouch --version`'s).
type versionOptions struct {
	*globalOptions
	JSON bool
}

func newVersionCmd(g *globalOptions) *cobra.Command {
	opts := &versionOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:     "version",
		Short:   "Print vouch's version (also --version)",
		Example: "  vouch version\n  vouch version --json",
		Args:    cobra.NoArgs,
		RunE:    func(*cobra.Command, []string) error { return runVersion(opts) },
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the version, Go version and platform as JSON")
	return cmd
}

// versionJSON is `vouch version --json`'s document.
type versionJSON struct {
	Version  string `json:"version"` // as recorded in every decision's "tool"
	Go       string `json:"go"`
	Platform string `json:"platform"`
	Commit   string `json:"commit,omitempty"` // the source revision, when the build recorded it
}

func runVersion(opts *versionOptions) error {
	tool := review.ToolVersion()
	if !opts.JSON {
		fmt.Fprintln(opts.out, tool)
		return nil
	}
	v := versionJSON{Version: strings.TrimPrefix(tool, "vouch "), Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				v.Commit = s.Value
			}
		}
	}
	return writeJSON(opts.out, v)
}
