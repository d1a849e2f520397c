// Package repo is the one type over a git repository. Objects, commits and
// notes trees are read and written with go-git; the git binary does what
// go-git cannot do safely or fast: revision-range parsing, patches, patch ids,
// signed commits and compare-and-swap ref updates under git's lock protocol.
package repo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	git "github.com/go-git/go-git/v5"
)

// Repo is an opened repository (work tree or bare).
type Repo struct {
	dir    string // directory git commands run in (-C)
	gitDir string // absolute path of the git directory
	bare   bool
	gg     *git.Repository

	shallowOnce sync.Once
	shallowPath string
	shallowErr  error

	cfgOnce sync.Once
	cfg     Config
	cfgErr  error
}

// ErrNotRepository is returned by Open outside any git repository.
var ErrNotRepository = errors.New("not a git repository")

// Open finds the repository containing dir, as git does.
func Open(dir string) (*Repo, error) {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(abs); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s does not exist (pass -C DIR with a repository's directory)", shown(dir))
	} else if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", shown(dir), err)
	}
	out, err := runGit(abs, nil, nil, "rev-parse", "--absolute-git-dir", "--is-bare-repository")
	if errors.Is(err, ErrNotRepository) {
		return nil, fmt.Errorf("%s is %w (run vouch inside a git repository or pass -C DIR)", shown(abs), ErrNotRepository)
	}
	if err != nil {
		// A bad config value or a foreign owner: git says which, in one line.
		return nil, err
	}
	fields := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(fields) < 2 {
		return nil, fmt.Errorf("%s is %w", shown(abs), ErrNotRepository)
	}
	r := &Repo{dir: abs, gitDir: fields[0], bare: fields[1] == "true"}
	// Open the git directory itself: this works for bare repositories,
	// mirrors and linked worktrees alike.
	gg, err := git.PlainOpenWithOptions(r.gitDir, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", r.gitDir, err)
	}
	r.gg = gg
	return r, nil
}

// Dir is the directory git commands run in.
func (r *Repo) Dir() string { return r.dir }

// GitDir is the absolute path of the git directory.
func (r *Repo) GitDir() string { return r.gitDir }

// Bare reports whether the repository has no work tree.
func (r *Repo) Bare() bool { return r.bare }

// GoGit exposes the go-git repository to the other files of this package.
func (r *Repo) goGit() *git.Repository { return r.gg }

// Git runs the git binary in the repository and returns its standard output.
// A failure is a *GitError: one line, in the user's words where git's
// message is a known one.
func (r *Repo) Git(args ...string) ([]byte, error) {
	return runGit(r.dir, nil, nil, args...)
}

// GitInput is Git with stdin and extra environment (KEY=VALUE) entries.
func (r *Repo) GitInput(stdin []byte, env []string, args ...string) ([]byte, error) {
	return runGit(r.dir, stdin, env, args...)
}

func runGit(dir string, stdin []byte, env []string, args ...string) ([]byte, error) {
	return runGitCmd(exec.Command("git", args...), dir, stdin, env, args)
}

// runGitDetached runs git with no controlling terminal, for commands that
// may start a signing program: ssh-keygen or gpg could otherwise ask for a
// passphrase over the TUI.
func runGitDetached(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	detach(cmd)
	return runGitCmd(cmd, dir, nil, nil, args)
}

func runGitCmd(cmd *exec.Cmd, dir string, stdin []byte, env []string, args []string) ([]byte, error) {
	cmd.Dir = dir
	// A pager, a terminal prompt or localised messages would all break parsing.
	cmd.Env = append(os.Environ(), "GIT_PAGER=cat", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	cmd.Env = append(cmd.Env, env...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), &GitError{Args: args, Dir: dir, Stderr: stderr.String(), Err: err}
	}
	return stdout.Bytes(), nil
}

// Config is the effective git configuration (system, global, local, includes),
// as `git config --list` reports it. Keys are lower-cased section and variable
// names, as git prints them.
type Config map[string][]string

// Get returns the last value of key, as git does for single-valued keys.
func (c Config) Get(key string) string {
	v := c[strings.ToLower(key)]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// All returns every value of a multi-valued key.
func (c Config) All(key string) []string { return c[strings.ToLower(key)] }

// Config reads the effective configuration once.
func (r *Repo) Config() (Config, error) {
	r.cfgOnce.Do(func() {
		out, err := r.Git("config", "-z", "--list")
		if err != nil {
			r.cfgErr = err
			return
		}
		r.cfg = ParseConfigList(out)
	})
	return r.cfg, r.cfgErr
}

// ParseConfigList parses `git config -z --list` output: entries separated by
// NUL, key and value separated by the first newline.
func ParseConfigList(out []byte) Config {
	c := Config{}
	for _, entry := range bytes.Split(out, []byte{0}) {
		if len(entry) == 0 {
			continue
		}
		k, v, _ := bytes.Cut(entry, []byte{'\n'})
		key := strings.ToLower(string(k))
		c[key] = append(c[key], string(v))
	}
	return c
}
