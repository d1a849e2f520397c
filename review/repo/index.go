package repo

import (
	"bytes"
	"fmt"
	"strings"
)

// TreeHolds answers, for each literal and each extended regular expression,
// whether any text file in commit's tree holds it. The literals cost one
// `git grep -F` together, whatever their number, so the answer is the same
// on every run and on every machine; each pattern costs one `git grep -E -q`.
func (r *Repo) TreeHolds(commit string, literals, patterns []string) (map[string]bool, error) {
	out := make(map[string]bool, len(literals)+len(patterns))
	if strings.HasPrefix(commit, "-") {
		return nil, fmt.Errorf("commit %q is not a revision", commit)
	}
	var lits []string
	for _, l := range literals {
		if l == "" || strings.ContainsAny(l, "\n\x00") {
			continue
		}
		out[l] = false
		lits = append(lits, l)
	}
	if len(lits) > 0 {
		// Whole matching lines rather than -o: with several fixed strings
		// git reports one match per position, so "exec.Command" could hide
		// "exec.CommandContext" on the same line.
		args := []string{"grep", "-I", "-h", "--no-color", "-F"}
		for _, l := range lits {
			args = append(args, "-e", l)
		}
		args = append(args, commit, "--")
		lines, err := r.Git(args...)
		if err != nil && !noMatch(err) {
			return nil, err
		}
		for _, line := range bytes.Split(lines, []byte{'\n'}) {
			for _, l := range lits {
				if !out[l] && bytes.Contains(line, []byte(l)) {
					out[l] = true
				}
			}
		}
	}
	for _, p := range patterns {
		found, err := r.HasText(commit, p, true)
		if err != nil {
			return nil, err
		}
		out[p] = found
	}
	return out, nil
}

// noMatch is git grep's exit 1 with nothing on stderr.
func noMatch(err error) bool {
	var ge *GitError
	return asGitError(err, &ge) && ge.Stderr == ""
}
