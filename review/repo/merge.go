package repo

import (
	"errors"
	"strings"
)

// MergePatch is what a merge commit itself did: `git show --remerge-diff`,
// the diff from git's own automatic merge of the parents (conflict markers
// and all) to the committed result, so conflict resolutions and edits made
// in the merge show and nothing that either side brought. A clean merge
// with no edits has an empty patch. For a commit with fewer than two
// parents, or a git older than 2.35, it is Patch.
func (r *Repo) MergePatch(c Commit) ([]byte, error) {
	if len(c.Parents) < 2 {
		return r.Patch(c)
	}
	out, err := r.Git("-c", "core.quotepath=false", "-c", "log.showSignature=false", "show", "--remerge-diff",
		"--format=", "-p", "-M", "--no-color", "--no-ext-diff", "--no-textconv", "--full-index",
		"--no-notes", "--end-of-options", c.SHA, "--")
	var ge *GitError
	if errors.As(err, &ge) && strings.Contains(ge.Stderr, "remerge-diff") {
		return r.Patch(c) // git before 2.35
	}
	if err != nil {
		return nil, gitContext(err, "remerge diff of %s", c.Short())
	}
	return out, nil
}
