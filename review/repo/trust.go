package repo

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// TrustBranch is the branch whose history a range is judged against: the
// default branch, local or origin's. It returns a full ref name or "".
func (r *Repo) TrustBranch() string { return r.defaultBranch() }

// RangeTips are the commits a range ends at (its positive revisions).
func (r *Repo) RangeTips(rangeArgs []string) ([]string, error) {
	if err := CheckRange(rangeArgs); err != nil {
		return nil, err
	}
	args := append([]string{"rev-parse", "--revs-only", "--no-flags"}, rangeArgs...)
	out, err := r.Git(args...)
	if err != nil {
		return nil, fmt.Errorf("read range %s: %w", strings.Join(rangeArgs, " "), err)
	}
	var tips []string
	for _, l := range strings.Fields(string(out)) {
		if !strings.HasPrefix(l, "^") {
			tips = append(tips, l)
		}
	}
	return tips, nil
}

// MergeBase is the best common ancestor of two commits, "" when they share
// none.
func (r *Repo) MergeBase(a, b string) (string, error) {
	out, err := r.Git("merge-base", "--end-of-options", a, b)
	if err != nil {
		var ge *GitError
		if errors.As(err, &ge) && strings.TrimSpace(ge.Stderr) == "" {
			return "", nil // exit 1, nothing printed: no common ancestor
		}
		return "", fmt.Errorf("merge base of %s and %s: %w", a, b, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// ResolveCommit is the full id of the commit rev names.
func (r *Repo) ResolveCommit(rev string) (string, error) {
	if strings.HasPrefix(rev, "-") {
		return "", fmt.Errorf("%q is not a revision", rev)
	}
	out, err := r.Git("rev-parse", "--verify", "-q", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("no such commit: %s", rev)
	}
	return strings.TrimSpace(string(out)), nil
}

// FileAt reads path as committed at rev; a missing file is nil, false.
func (r *Repo) FileAt(rev, path string) ([]byte, bool, error) {
	if _, err := r.Git("cat-file", "-e", rev+":"+path); err != nil {
		return nil, false, nil
	}
	data, err := r.Git("cat-file", "blob", rev+":"+path)
	if err != nil {
		return nil, false, fmt.Errorf("read %s at %s: %w", path, rev, err)
	}
	return data, true, nil
}

// PathsInRange maps each commit of a range to the paths it changed against
// its first parent, in one git call.
func (r *Repo) PathsInRange(rangeArgs []string) (map[string][]string, error) {
	if err := CheckRange(rangeArgs); err != nil {
		return nil, err
	}
	args := []string{"-c", "core.quotepath=false", "log", "--format=%x01%H", "--name-only", "-z",
		"--no-renames", "--diff-merges=first-parent", "--no-notes", "--no-color"}
	args = append(args, rangeArgs...)
	if !contains(rangeArgs, "--") {
		args = append(args, "--")
	}
	out, err := r.Git(args...)
	if err != nil {
		return nil, fmt.Errorf("read range %s: %w", strings.Join(rangeArgs, " "), err)
	}
	paths := map[string][]string{}
	for _, rec := range strings.Split(string(out), "\x01") {
		fields := strings.Split(rec, "\x00")
		if len(fields) == 0 || len(fields[0]) < 40 {
			continue
		}
		sha := fields[0]
		var list []string
		for _, f := range fields[1:] {
			if f = strings.TrimPrefix(f, "\n"); f != "" {
				list = append(list, f)
			}
		}
		paths[sha] = list
	}
	return paths, nil
}

// PathsUnder maps each of commits that changed anything under dir (a
// directory of the repository, "dir/") against its first parent to the
// paths it changed there, as PathsInRange would list them, from one
// `git diff-tree --stdin` limited to dir: git compares only that subtree,
// so a range of 10,000 commits costs a few milliseconds. A commit that
// changed nothing there is absent.
func (r *Repo) PathsUnder(commits []Commit, dir string) (map[string][]string, error) {
	if dir == "" || strings.HasPrefix(dir, "-") || strings.ContainsAny(dir, "\n\x00*?[:") {
		return nil, fmt.Errorf("%q is not a directory name", dir)
	}
	paths := map[string][]string{}
	var in bytes.Buffer
	for _, c := range commits {
		if !isOIDHex([]byte(c.SHA)) || len(c.SHA) != 40 {
			return nil, fmt.Errorf("commit %q is not a full id", c.SHA)
		}
		in.WriteString(c.SHA)
		if len(c.Parents) > 0 {
			in.WriteString(" " + c.Parents[0])
		}
		in.WriteByte('\n')
	}
	if in.Len() == 0 {
		return paths, nil
	}
	out, err := r.GitInput(in.Bytes(), nil, "-c", "core.quotepath=false", "diff-tree", "--stdin", "--root", "-r",
		"--name-only", "--no-renames", "-z", "--no-color", "--", dir)
	if err != nil {
		return nil, gitContext(err, "list the changes under %s", dir)
	}
	// Each commit with changes is its id, then its paths, every field
	// NUL-terminated; no path under dir is 40 hex digits.
	sha := ""
	for _, f := range strings.Split(string(out), "\x00") {
		switch {
		case f == "":
		case len(f) == 40 && isOIDHex([]byte(f)):
			sha = f
		case sha != "":
			paths[sha] = append(paths[sha], f)
		}
	}
	return paths, nil
}

// ObjectType is `git cat-file -t`: "commit", "tree", "blob", "tag".
func (r *Repo) ObjectType(id string) (string, error) {
	out, err := r.Git("cat-file", "-t", id)
	if err != nil {
		return "", fmt.Errorf("object %s: %w", id, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// InRange reports whether commit sha is one of the commits of a range.
func (r *Repo) InRange(sha string, rangeArgs []string) (bool, error) {
	if err := CheckRange(rangeArgs); err != nil {
		return false, err
	}
	args := append([]string{"rev-list"}, rangeArgs...)
	if !contains(rangeArgs, "--") {
		args = append(args, "--")
	}
	out, err := r.Git(args...)
	if err != nil {
		return false, fmt.Errorf("read range %s: %w", strings.Join(rangeArgs, " "), err)
	}
	for _, l := range strings.Fields(string(out)) {
		if l == sha {
			return true, nil
		}
	}
	return false, nil
}
