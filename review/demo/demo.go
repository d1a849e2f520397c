// Package demo builds the sample repository that `vouch demo` opens: a small
// Go orders service whose feature branch mixes human commits with commits
// written by several AI assistants, plus a throwaway SSH signing key, so the
// review can be tried without any set-up.
//
// The history is written with one `git fast-import` stream and fixed dates,
// so every build produces the same commit ids and takes a few milliseconds.
package demo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Names of the demo repository's branches and reviewer.
const (
	BaseBranch     = "main"
	FeatureBranch  = "feature/orders-api"
	ReviewerName   = "Demo Reviewer"
	ReviewerEmail  = "reviewer@demo.vouch.dev"
	keyDirInGitDir = "vouch-demo"
)

// Result describes the repository that Build made.
type Result struct {
	Dir            string // the repository's work tree
	Branch         string // the branch checked out (the AI work), e.g. "feature/orders-api"
	Base           string // the default branch it forked from, e.g. "main"
	KeyPath        string // private ed25519 key (throwaway) used for signing
	AllowedSigners string // path of an OpenSSH allowed_signers file naming the reviewer with namespaces="vouch,git"
	Reviewer       string // "Name <email>" of the demo reviewer
}

// Build creates the sample repository in dir (created if missing; it must be
// empty if it exists). On failure it removes whatever it wrote, so a retry
// starts from the same place.
func Build(dir string) (res *Result, err error) {
	if dir == "" {
		return nil, errors.New("demo: no directory given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("demo: git not found: install git: %w", exec.ErrNotFound)
	}
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		return nil, fmt.Errorf("demo: ssh-keygen not found: install openssh-client: %w", exec.ErrNotFound)
	}
	created, err := prepareDir(dir, abs)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			cleanUp(abs, created)
		}
	}()

	if _, err := runGit(abs, nil, "init", "-q", "--initial-branch="+FeatureBranch, abs); err != nil {
		return nil, fmt.Errorf("demo: git init: %w", err)
	}
	gitDir := filepath.Join(abs, ".git")
	keyDir := filepath.Join(gitDir, keyDirInGitDir)
	if err := os.MkdirAll(keyDir, 0o700); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	res = &Result{
		Dir:            abs,
		Branch:         FeatureBranch,
		Base:           BaseBranch,
		KeyPath:        filepath.Join(keyDir, "reviewer_ed25519"),
		AllowedSigners: filepath.Join(keyDir, "allowed_signers"),
		Reviewer:       ReviewerName + " <" + ReviewerEmail + ">",
	}

	// The key is generated while git imports the history; both take a few
	// milliseconds and neither needs the other.
	keygen := exec.Command("ssh-keygen", "-t", "ed25519", "-N", "", "-C", ReviewerEmail, "-q", "-f", res.KeyPath)
	var keygenErr bytes.Buffer
	keygen.Stderr = &keygenErr
	if err := keygen.Start(); err != nil {
		return nil, fmt.Errorf("demo: ssh-keygen: %w", err)
	}
	stream, err := fastImportStream(story())
	if err == nil {
		_, err = runGit(abs, stream, "fast-import", "--quiet", "--done")
		if err != nil {
			err = fmt.Errorf("demo: git fast-import: %w", err)
		}
	}
	if werr := keygen.Wait(); werr != nil && err == nil {
		err = fmt.Errorf("demo: ssh-keygen: %w%s", werr, firstLine(keygenErr.Bytes()))
	}
	if err != nil {
		return nil, err
	}

	if err := writeSigners(res); err != nil {
		return nil, err
	}
	if err := appendConfig(filepath.Join(gitDir, "config"), res); err != nil {
		return nil, err
	}
	// HEAD already names the feature branch (git init above); this fills
	// the index and the work tree from it.
	if _, err := runGit(abs, nil, "reset", "-q", "--hard"); err != nil {
		return nil, fmt.Errorf("demo: git reset: %w", err)
	}
	return res, nil
}

// prepareDir makes sure dir exists and is empty. created reports whether it
// had to be made, so a failed build can remove it again.
func prepareDir(dir, abs string) (created bool, err error) {
	f, err := os.Open(abs)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return false, fmt.Errorf("demo: %w", err)
		}
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	if !fi.IsDir() {
		return false, fmt.Errorf("demo: %s is not a directory", dir)
	}
	names, err := f.Readdirnames(1)
	if len(names) > 0 {
		return false, fmt.Errorf("demo: %s is not empty", dir)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("demo: %w", err)
	}
	return false, nil
}

// cleanUp undoes a failed build. The directory was empty (or absent) when
// Build started, so everything in it is ours.
func cleanUp(abs string, created bool) {
	if created {
		os.RemoveAll(abs)
		return
	}
	entries, _ := os.ReadDir(abs)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(abs, e.Name()))
	}
}

// writeSigners restricts the key to the namespaces vouch and git use, so the
// throwaway key cannot vouch for anything else (file signing, for one).
func writeSigners(res *Result) error {
	if err := os.Chmod(res.KeyPath, 0o600); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	pub, err := os.ReadFile(res.KeyPath + ".pub")
	if err != nil {
		return fmt.Errorf("demo: read public key: %w", err)
	}
	fields := strings.Fields(string(pub))
	if len(fields) < 2 {
		return fmt.Errorf("demo: %s.pub: not an OpenSSH public key", res.KeyPath)
	}
	line := fmt.Sprintf("%s namespaces=\"vouch,git\" %s %s\n", ReviewerEmail, fields[0], fields[1])
	if err := os.WriteFile(res.AllowedSigners, []byte(line), 0o644); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// appendConfig writes the repository's own settings into .git/config, so
// the demo signs with its throwaway key without reading or touching the
// user's global configuration.
func appendConfig(path string, res *Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "[user]\n\tname = %s\n\temail = %s\n\tsigningKey = %s\n",
		ReviewerName, ReviewerEmail, quoteConfig(res.KeyPath))
	fmt.Fprintf(&b, "[gpg]\n\tformat = ssh\n")
	fmt.Fprintf(&b, "[gpg \"ssh\"]\n\tallowedSignersFile = %s\n", quoteConfig(res.AllowedSigners))
	fmt.Fprintf(&b, "[commit]\n\tgpgsign = false\n")
	fmt.Fprintf(&b, "[init]\n\tdefaultBranch = %s\n", BaseBranch)
	// main is the feature branch's upstream, so the default range
	// @{upstream}..HEAD is exactly the work under review.
	fmt.Fprintf(&b, "[branch %s]\n\tremote = .\n\tmerge = refs/heads/%s\n", quoteConfig(FeatureBranch), BaseBranch)

	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return fmt.Errorf("demo: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("demo: write %s: %w", path, err)
	}
	return nil
}

// quoteConfig quotes a value (or subsection name) as git-config reads it,
// so paths with spaces, quotes or backslashes survive.
func quoteConfig(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}

// runGit runs git in dir with stdin and returns its standard output; a
// failure carries git's first line of stderr.
func runGit(dir string, stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = gitEnv()
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%w%s", err, firstLine(stderr.Bytes()))
	}
	return stdout.Bytes(), nil
}

// gitEnv drops the variables that would point git at another repository
// (set, for instance, when vouch runs from inside a git hook) or override
// the fixed identities and dates of the story.
func gitEnv() []string {
	drop := []string{
		"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
		"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE",
		"GIT_PREFIX", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
		"GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE",
		"GIT_QUARANTINE_PATH",
	}
	var env []string
next:
	for _, kv := range os.Environ() {
		for _, name := range drop {
			if strings.HasPrefix(kv, name+"=") {
				continue next
			}
		}
		env = append(env, kv)
	}
	return env
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return ""
	}
	return ": " + s
}

// fastImportStream renders the story as a git fast-import stream. Every
// commit lists its whole tree after deleteall: the trees are small and
// fast-import stores each distinct blob once.
func fastImportStream(commits []commit) ([]byte, error) {
	var b bytes.Buffer
	t := tree{}
	tips := map[string]int{} // branch -> mark of its last commit
	for i, c := range commits {
		mark := i + 1
		for _, op := range c.ops {
			if err := op(t); err != nil {
				return nil, fmt.Errorf("demo: story commit %q: %w", c.subject(), err)
			}
		}
		committer := c.committer
		if committer.name == "" {
			committer = c.author
		}
		fmt.Fprintf(&b, "commit refs/heads/%s\nmark :%d\n", c.branch, mark)
		authored, err := stamp(c.when, c.author)
		if err != nil {
			return nil, err
		}
		committed, err := stamp(c.when, committer)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "author %s %s\n", c.author.ident(), authored)
		fmt.Fprintf(&b, "committer %s %s\n", committer.ident(), committed)
		msg := c.msg
		if !strings.HasSuffix(msg, "\n") {
			msg += "\n"
		}
		fmt.Fprintf(&b, "data %d\n%s", len(msg), msg)
		if _, ok := tips[c.branch]; !ok && c.from != "" {
			from, ok := tips[c.from]
			if !ok {
				return nil, fmt.Errorf("demo: story commit %q: branch %s has no commits", c.subject(), c.from)
			}
			fmt.Fprintf(&b, "from :%d\n", from)
		}
		b.WriteString("deleteall\n")
		for _, p := range t.paths() {
			f := t[p]
			fmt.Fprintf(&b, "M %s inline %s\ndata %d\n", f.mode, p, len(f.data))
			b.Write(f.data)
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
		tips[c.branch] = mark
	}
	b.WriteString("done\n")
	return b.Bytes(), nil
}

// stamp formats a commit time in the person's own time zone, as their git
// would have recorded it.
func stamp(when string, p person) (string, error) {
	t, err := time.ParseInLocation("2006-01-02 15:04", when, p.zone())
	if err != nil {
		return "", fmt.Errorf("demo: story date: %w", err)
	}
	return fmt.Sprintf("%d %s", t.Unix(), t.Format("-0700")), nil
}
