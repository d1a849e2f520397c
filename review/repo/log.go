package repo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Commit is the metadata of one commit, as the reviewer reads it.
type Commit struct {
	SHA            string
	Tree           string
	Parents        []string
	AuthorName     string
	AuthorEmail    string
	AuthorTime     time.Time
	CommitterName  string
	CommitterEmail string
	CommitTime     time.Time
	Message        string
	AINote         string // note on refs/notes/ai (git-ai authorship log), "" when none
	// ShallowBoundary: the clone is shallow and this commit's parents were
	// not fetched, so Parents is empty although the commit has parents.
	ShallowBoundary bool
}

// Short is the abbreviated id shown in lists.
func (c Commit) Short() string {
	if len(c.SHA) > 8 {
		return c.SHA[:8]
	}
	return c.SHA
}

// Subject is the first line of the message.
func (c Commit) Subject() string {
	s, _, _ := strings.Cut(strings.TrimLeft(c.Message, "\n"), "\n")
	return s
}

// AINotesRef is where git-ai keeps its authorship logs.
const AINotesRef = "refs/notes/ai"

// rangeOptions are the git log options a user may pass as part of RANGE. Anything
// else (a --format, -p, --output=…) would change what git prints or writes.
var rangeOptions = []string{
	"--since", "--until", "--after", "--before", "--author", "--committer",
	"--grep", "--max-count", "-n", "--skip", "--first-parent", "--no-merges", "--merges",
	"--ancestry-path", "--all", "--branches", "--tags", "--remotes", "--not",
	"--since-as-filter", "-i", "--regexp-ignore-case", "--invert-grep", "--all-match", "--",
}

// CheckRange refuses arguments that are not revisions or allowed range options.
func CheckRange(args []string) error {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		ok := false
		for _, o := range rangeOptions {
			if a == o || strings.HasPrefix(a, o+"=") || (o == "-n" && len(a) > 2 && a[:2] == "-n") {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("range option %q is not supported (use revisions like A..B, or --since/--until/--author/-n/--first-parent/--no-merges)", a)
		}
	}
	return nil
}

// DefaultRange is SPEC.md's default: @{upstream}..HEAD when HEAD has an
// upstream; else the commits of HEAD not on the default branch; else the last
// 100 commits of HEAD.
func (r *Repo) DefaultRange() ([]string, error) {
	if _, err := r.Git("rev-parse", "--verify", "-q", "HEAD"); err != nil {
		if loud(err) {
			return nil, err
		}
		return nil, fmt.Errorf("HEAD does not point at a commit: the repository has no commits yet")
	}
	if _, err := r.Git("rev-parse", "--verify", "-q", "@{upstream}"); err == nil {
		return []string{"@{upstream}..HEAD"}, nil
	}
	if def := r.defaultBranch(); def != "" {
		head, _ := r.Git("rev-parse", "HEAD")
		base, _ := r.Git("rev-parse", def)
		if !bytes.Equal(head, base) {
			if _, err := r.Git("merge-base", "--is-ancestor", "HEAD", def); err != nil {
				return []string{def + "..HEAD"}, nil
			}
		}
	}
	return []string{"-n", "100", "HEAD"}, nil
}

// defaultBranch finds the repository's default branch: origin's HEAD, then
// init.defaultBranch, then main or master, local or origin's. It returns a
// full ref name or "".
func (r *Repo) defaultBranch() string {
	if out, err := r.Git("symbolic-ref", "-q", "refs/remotes/origin/HEAD"); err == nil {
		return strings.TrimSpace(string(out))
	}
	candidates := []string{"main", "master"}
	if cfg, err := r.Config(); err == nil {
		if d := cfg.Get("init.defaultbranch"); d != "" {
			candidates = append([]string{d}, candidates...)
		}
	}
	// A CI checkout often has no local branch (actions/checkout leaves HEAD
	// detached), only the remote-tracking one.
	for _, prefix := range []string{"refs/heads/", "refs/remotes/origin/"} {
		for _, b := range candidates {
			ref := prefix + b
			if _, err := r.Git("rev-parse", "--verify", "-q", ref); err == nil {
				return ref
			}
		}
	}
	return ""
}

// logFields is the number of NUL-terminated fields per commit in logFormat.
const logFields = 11

// A commit message cannot hold NUL, so NUL-terminated fields are unambiguous
// whatever a hostile message contains. The last field is the git-ai note; git
// prints %N literally when no notes ref is shown, so it is only asked for when
// refs/notes/ai exists.
const logFormat = "--format=%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x00"

// Log lists the commits of a range, oldest first (topological order), with
// their git-ai notes.
func (r *Repo) Log(rangeArgs []string) ([]Commit, error) { return r.LogEach(rangeArgs, nil) }

// LogEach is Log that also hands each commit to each (when not nil) as soon
// as git lists it, so work on the first commits can start while git still
// walks the rest. A range of plain revisions is read in git's walk order
// (newest first, which git streams) and put in topological order here; any
// other range (-n, --since, --first-parent...) is read in order as git
// sorts it. Either way each sees every commit of the list once, in no
// promised order, and the list is what `git log --topo-order --reverse`
// prints.
func (r *Repo) LogEach(rangeArgs []string, each func(Commit)) ([]Commit, error) {
	if err := CheckRange(rangeArgs); err != nil {
		return nil, err
	}
	grafted, err := r.shallowCommits()
	if err != nil {
		return nil, err
	}
	streamed := walkOrderSame(rangeArgs)
	args := []string{"-c", "log.showSignature=false", "log", "--topo-order", "--reverse", "--no-color", "--no-notes"}
	if streamed {
		args = []string{"-c", "log.showSignature=false", "log", "--no-color", "--no-notes"}
	}
	if tip, _ := r.ResolveRef(AINotesRef); tip != "" {
		args = append(args, "--notes="+AINotesRef, logFormat+"%N%x00")
	} else {
		args = append(args, logFormat+"%x00")
	}
	args = append(args, rangeArgs...)
	// A path limiter never comes from us; "--" keeps a revision from being
	// read as a path when it is ambiguous.
	if !contains(rangeArgs, "--") {
		args = append(args, "--")
	}
	commits, err := r.logCommits(args, func(c *Commit) {
		c.ShallowBoundary = grafted[c.SHA]
		if each != nil {
			each(*c)
		}
	})
	if err != nil {
		return nil, gitContext(err, "read range %s", shown(strings.Join(rangeArgs, " ")))
	}
	if streamed {
		commits = topoOrder(commits)
		slices.Reverse(commits)
	}
	return commits, nil
}

// walkOrderSame reports whether a range is only tips to list the history
// of (revisions, --all, --branches...), with nothing after "--": then
// `git log` and `git log --topo-order` list the same commits, and
// topoOrder can sort the first into the second. A limit (-n), a date or a
// history simplification picks its commits from the order it is given; an
// excluded revision (^A, A..B, --not) can let plain `git log` show a
// commit it excludes when commit dates are skewed.
func walkOrderSame(args []string) bool {
	for i, a := range args {
		switch {
		case a == "--":
			if i != len(args)-1 {
				return false
			}
		case a == "--all" || a == "--branches" || a == "--tags" || a == "--remotes":
		case strings.HasPrefix(a, "-"), strings.HasPrefix(a, "^"), strings.Contains(a, ".."):
			return false
		}
	}
	return true
}

// topoOrder sorts commits listed in git's walk order (as `git log` prints
// them) into the order `git log --topo-order` prints: git's
// sort_in_topological_order, in graph order. A commit waits until every
// child of it in the list is out; the tips start in walk order, and the
// commits ready are taken last in, first out, so each line of history is
// shown whole before the next.
func topoOrder(walk []Commit) []Commit {
	at := make(map[string]int, len(walk))
	for i, c := range walk {
		at[c.SHA] = i
	}
	// indegree is 1 + the children in the list not yet out; 0 once out.
	indegree := make([]int32, len(walk))
	for i := range walk {
		indegree[i] = 1
	}
	for _, c := range walk {
		for _, p := range c.Parents {
			if k, ok := at[p]; ok {
				indegree[k]++
			}
		}
	}
	var ready []int
	for i := range walk {
		if indegree[i] == 1 {
			ready = append(ready, i)
		}
	}
	slices.Reverse(ready) // the first tip is taken first
	out := make([]Commit, 0, len(walk))
	for len(ready) > 0 {
		i := ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		for _, p := range walk[i].Parents {
			k, ok := at[p]
			if !ok || indegree[k] == 0 {
				continue
			}
			if indegree[k]--; indegree[k] == 1 {
				ready = append(ready, k)
			}
		}
		indegree[i] = 0
		out = append(out, walk[i])
	}
	return out
}

// Shallow reports whether the repository is a shallow clone (as CI's
// default `fetch-depth: 1` makes): some commits' parents were not fetched.
func (r *Repo) Shallow() (bool, error) {
	grafted, err := r.shallowCommits()
	return len(grafted) > 0, err
}

// IsShallowBoundary reports whether commit (a full id) is where a shallow
// clone's history was cut: git shows it with no parents, so its diff, patch
// id and ancestry are not the real ones until the history is fetched.
func (r *Repo) IsShallowBoundary(commit string) (bool, error) {
	grafted, err := r.shallowCommits()
	return grafted[strings.ToLower(commit)], err
}

// shallowCommits reads the shallow file, which lists the boundary commits;
// it is read anew each time, as a fetch may deepen or unshallow the clone.
func (r *Repo) shallowCommits() (map[string]bool, error) {
	r.shallowOnce.Do(func() {
		out, err := r.Git("rev-parse", "--git-path", "shallow")
		if err != nil {
			r.shallowErr = gitContext(err, "find the shallow file")
			return
		}
		path := strings.TrimSpace(string(out))
		if !filepath.IsAbs(path) {
			path = filepath.Join(r.dir, path)
		}
		r.shallowPath = path
	})
	if r.shallowErr != nil {
		return nil, r.shallowErr
	}
	data, err := os.ReadFile(r.shallowPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", r.shallowPath, err)
	}
	grafted := map[string]bool{}
	for _, line := range strings.Fields(string(data)) {
		grafted[strings.ToLower(line)] = true
	}
	return grafted, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// logCommits runs git log with args and parses its output as it streams
// in, so a 50,000-commit range is parsed while git still writes it. A
// failure is a *GitError, as Git returns.
func (r *Repo) logCommits(args []string, each func(*Commit)) ([]Commit, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_PAGER=cat", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, &GitError{Args: args, Dir: r.dir, Stderr: stderr.String(), Err: err}
	}
	br := bufio.NewReaderSize(out, 1<<20)
	commits, rerr := parseLogStream(br, each)
	io.Copy(io.Discard, br)
	if err := cmd.Wait(); err != nil {
		return nil, &GitError{Args: args, Dir: r.dir, Stderr: stderr.String(), Err: err}
	}
	return commits, rerr
}

// parseLogStream is parseLog reading from r: the same commits from the
// same bytes. Each record's fields are copied into one string, so a commit
// costs one allocation for its text, not one per field.
func parseLogStream(r *bufio.Reader, each func(*Commit)) ([]Commit, error) {
	var commits []Commit
	var rec []byte          // the fields of the record being read, back to back
	var ends [logFields]int // where each field of rec ends
	n := 0                  // fields of rec read
	flush := func() bool {
		text := string(rec)
		f := func(k int) string {
			from := 0
			if k > 0 {
				from = ends[k-1]
			}
			return text[from:ends[k]]
		}
		sha := strings.TrimLeft(f(0), "\n")
		if sha == "" {
			return false
		}
		commits = append(commits, commitOf(sha, f))
		if each != nil {
			each(&commits[len(commits)-1])
		}
		rec, n = rec[:0], 0
		return true
	}
	for {
		chunk, err := r.ReadSlice(0)
		switch {
		case err == bufio.ErrBufferFull:
			rec = append(rec, chunk...)
			continue
		case err == io.EOF:
			// What follows the last NUL is a field too, as bytes.Split has it.
			rec = append(rec, chunk...)
			ends[n] = len(rec)
			if n+1 == logFields {
				flush()
			}
			return commits, nil
		case err != nil:
			return commits, err
		}
		rec = append(rec, chunk[:len(chunk)-1]...)
		ends[n] = len(rec)
		if n++; n == logFields && !flush() {
			return commits, nil
		}
	}
}

func parseLog(out []byte) ([]Commit, error) {
	fields := bytes.Split(out, []byte{0})
	var commits []Commit
	for i := 0; i+logFields <= len(fields); i += logFields {
		f := func(k int) string { return string(fields[i+k]) }
		sha := strings.TrimLeft(f(0), "\n")
		if sha == "" {
			break
		}
		commits = append(commits, commitOf(sha, f))
	}
	return commits, nil
}

// Commit reads one commit named by any revision.
func (r *Repo) Commit(rev string) (Commit, error) {
	if strings.HasPrefix(rev, "-") {
		return Commit{}, fmt.Errorf("%q is not a revision", rev)
	}
	out, err := r.Git("rev-parse", "--verify", "-q", rev+"^{commit}")
	if err != nil {
		if loud(err) {
			return Commit{}, err
		}
		if _, oerr := r.Git("rev-parse", "--verify", "-q", rev); oerr == nil {
			return Commit{}, fmt.Errorf("%s is not a commit", shown(rev))
		}
		return Commit{}, fmt.Errorf("%w: %s", ErrNoRevision, shown(rev))
	}
	sha := strings.TrimSpace(string(out))
	cs, err := r.Log([]string{"-n", "1", sha})
	if err != nil {
		return Commit{}, err
	}
	if len(cs) != 1 {
		return Commit{}, fmt.Errorf("%s: commit not found", rev)
	}
	return cs[0], nil
}

// Patch returns the commit's unified diff against its first parent (the
// empty tree for a root commit), with renames detected. The git binary does
// this: go-git's patch is far slower on large or rename-heavy commits.
func (r *Repo) Patch(c Commit) ([]byte, error) {
	args := []string{"-c", "core.quotepath=false", "diff-tree", "-p", "-M", "--no-commit-id",
		"--no-color", "--no-ext-diff", "--no-textconv", "--full-index"}
	if len(c.Parents) == 0 {
		args = append(args, "--root", c.SHA)
	} else {
		args = append(args, c.Parents[0], c.SHA)
	}
	out, err := r.Git(args...)
	if err != nil {
		return nil, gitContext(err, "diff of %s", c.Short())
	}
	return out, nil
}

// PatchID computes `git patch-id --stable` of a patch made by Patch.
func (r *Repo) PatchID(patch []byte) (string, error) {
	if len(bytes.TrimSpace(patch)) == 0 {
		return "", nil
	}
	out, err := r.GitInput(patch, nil, "patch-id", "--stable")
	if err != nil {
		return "", gitContext(err, "patch-id")
	}
	id, _, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	return id, nil
}

// commitOf builds a commit from the fields of one log record (logFormat's
// order), sha already trimmed.
func commitOf(sha string, f func(int) string) Commit {
	c := Commit{
		SHA:            sha,
		Tree:           f(1),
		AuthorName:     f(3),
		AuthorEmail:    f(4),
		CommitterName:  f(6),
		CommitterEmail: f(7),
		Message:        f(9),
		AINote:         strings.TrimRight(f(10), "\n"),
	}
	if p := f(2); p != "" {
		c.Parents = strings.Fields(p)
	}
	c.AuthorTime, _ = time.Parse(time.RFC3339, f(5))
	c.CommitTime, _ = time.Parse(time.RFC3339, f(8))
	return c
}
