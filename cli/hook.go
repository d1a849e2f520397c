package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vouch-review/vouch/review/repo"
	"github.com/vouch-review/vouch/review/visible"
)

// hookOptions are `vouch hook install`'s.
type hookOptions struct {
	*globalOptions
	Force bool
}

func newHookCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "hook install [--force]",
		Short:   "Install a pre-push hook that refuses unreviewed AI commits",
		Example: "  vouch hook install",
		RunE:    subcommandMissing,
	}
	opts := &hookOptions{globalOptions: g}
	install := &cobra.Command{
		Use:   "install [--force]",
		Short: "Write the pre-push hook that runs vouch verify on every pushed range",
		Long: `Write a pre-push hook (in core.hooksPath when set, else the repository's hooks
folder) that runs vouch verify on each range a push sends: REMOTE_SHA..LOCAL_SHA
for an update, LOCAL_SHA --not --remotes=REMOTE for a new branch; deletions are
skipped. The push is refused when verify exits 1 (an AI-authored commit without
a valid accept) and, failing closed, when it cannot verify at all. A hook that
vouch did not write is kept unless --force is given; git push --no-verify skips
the hook.`,
		Example: `  vouch hook install
  vouch --ref refs/notes/review hook install --force`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return runHookInstall(opts) },
	}
	install.Flags().BoolVar(&opts.Force, "force", false, "replace a pre-push hook that vouch did not write")
	cmd.AddCommand(install)
	return cmd
}

// hookMarker is in every hook vouch writes, so install may replace its own.
const hookMarker = "# vouch-hook: pre-push"

// prePushScript is the hook; %[1]s is the vouch binary, %[2]s extra global
// flags, both shell-quoted.
const prePushScript = `#!/bin/sh
` + hookMarker + `
# Refuses to push AI-authored commits without a valid signed accept
# (vouch verify exits 1). Written by "vouch hook install"; "git push
# --no-verify" skips it.
vouch=%[1]s
[ -x "$vouch" ] || vouch=vouch
remote="$1"
status=0
while read -r local_ref local_sha remote_ref remote_sha; do
	case "$local_sha" in *[!0]*) ;; *) continue ;; esac # a deletion
	case "$remote_sha" in
	*[!0]*) set -- "$remote_sha..$local_sha" ;;
	*) set -- "$local_sha" --not "--remotes=$remote" ;; # a new branch
	esac
	"$vouch"%[2]s verify -- "$@"
	code=$?
	if [ "$code" -eq 1 ]; then
		echo "vouch: push of $local_ref to $remote_ref refused: review its AI-authored commits (vouch $*) and push again" >&2
		status=1
	elif [ "$code" -ne 0 ]; then
		echo "vouch: push of $local_ref refused: vouch verify could not check $* (exit $code)" >&2
		status=1
	fi
done
exit $status
`

func runHookInstall(opts *hookOptions) error {
	s, err := opts.open()
	if err != nil {
		return err
	}
	cfg, err := s.Repo().Config()
	if err != nil {
		return err
	}
	dir := hooksDir(s.Repo(), cfg.Get("core.hooksPath"))
	path := filepath.Join(dir, "pre-push")
	if old, err := os.ReadFile(path); err == nil && !strings.Contains(string(old), hookMarker) && !opts.Force {
		return fmt.Errorf("%s is a hook vouch did not write: pass --force to replace it, or call vouch verify from it", path)
	}
	bin, err := os.Executable()
	if err != nil || strings.Contains(bin, string(filepath.Separator)+"go-build") {
		bin = "vouch" // go run's binary is gone once it exits: use vouch from PATH
	}
	var extra string
	if opts.Ref != "" {
		extra = " --ref " + shellQuote(opts.Ref)
	}
	script := fmt.Sprintf(prePushScript, shellQuote(bin), extra)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create the hooks folder: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".pre-push-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(script); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(opts.out, "installed %s: a push runs vouch verify on the commits it sends\n", visible.String(path))
	return nil
}

// hooksDir is where git looks for hooks: core.hooksPath (relative to where
// hooks run: the top of the work tree, or the git directory when bare), else
// the hooks folder of the common git directory (shared by linked worktrees).
func hooksDir(r *repo.Repo, hooksPath string) string {
	gitDir := r.GitDir()
	common := gitDir
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		c := strings.TrimSpace(string(b))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gitDir, c)
		}
		common = filepath.Clean(c)
	}
	if hooksPath == "" {
		return filepath.Join(common, "hooks")
	}
	if strings.HasPrefix(hooksPath, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			hooksPath = filepath.Join(home, hooksPath[2:])
		}
	}
	if filepath.IsAbs(hooksPath) {
		return hooksPath
	}
	if r.Bare() {
		return filepath.Join(gitDir, hooksPath)
	}
	return filepath.Join(workTreeTop(r, gitDir), hooksPath)
}

// workTreeTop is the top of the work tree: the folder holding .git, or for a
// linked worktree the one its gitdir file names.
func workTreeTop(r *repo.Repo, gitDir string) string {
	if b, err := os.ReadFile(filepath.Join(gitDir, "gitdir")); err == nil {
		return filepath.Dir(strings.TrimSpace(string(b)))
	}
	if filepath.Base(gitDir) == ".git" {
		return filepath.Dir(gitDir)
	}
	return r.Dir()
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
