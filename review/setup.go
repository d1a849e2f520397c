package review

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/repo"
)

// InitStep is one thing `vouch init` checked or set. Changed is false when the
// repository already had it, so a second run reports nothing changed. The
// last steps are not settings but advice for the user: one "run: git push
// REMOTE REF" per remote (or a note that no remote is configured), always
// with Changed false.
type InitStep struct {
	What    string
	Changed bool
}

// Init configures the repository so that decisions travel with it: every
// remote fetches the trail into refs/notes/remotes/<remote>/<name> (where the
// Store reads other clones' records), amend and rebase carry notes to the
// rewritten commits, and `git log` shows them. Only the repository's own
// config is written, so it works in bare repositories too. It is idempotent.
func Init(r *repo.Repo, ref string) ([]InitStep, error) {
	if ref == "" {
		ref = ledger.DefaultRef
	}
	ref = repo.ExpandNotesRef(ref)
	if !strings.HasPrefix(ref, "refs/notes/") {
		// git notes refuses to rewrite or display notes outside refs/notes/.
		return nil, fmt.Errorf("notes ref %s is not under refs/notes/", ref)
	}
	if _, err := r.Git("check-ref-format", ref); err != nil {
		return nil, fmt.Errorf("notes ref %s is not a valid ref name", ref)
	}
	name := ref[strings.LastIndexByte(ref, '/')+1:]

	out, err := r.Git("remote")
	if err != nil {
		return nil, fmt.Errorf("list remotes: %w", err)
	}
	remotes := strings.Fields(string(out))

	var steps []InitStep
	add := func(key, value string) error {
		changed, err := addValue(r, key, value)
		if err != nil {
			return err
		}
		steps = append(steps, InitStep{What: fmt.Sprintf("%s += %s", key, value), Changed: changed})
		return nil
	}
	set := func(key, value string, boolean bool) error {
		changed, err := setValue(r, key, value, boolean)
		if err != nil {
			return err
		}
		steps = append(steps, InitStep{What: fmt.Sprintf("%s = %s", key, value), Changed: changed})
		return nil
	}

	for _, remote := range remotes {
		// Forced: a remote's trail may be rewritten (by a force push or a
		// notes merge elsewhere); the Store merges it into ours, never the reverse.
		spec := fmt.Sprintf("+%s:refs/notes/remotes/%s/%s", ref, remote, name)
		if err := add("remote."+remote+".fetch", spec); err != nil {
			return nil, err
		}
	}
	if err := add("notes.rewriteRef", ref); err != nil {
		return nil, err
	}
	if err := set("notes.rewrite.amend", "true", true); err != nil {
		return nil, err
	}
	if err := set("notes.rewrite.rebase", "true", true); err != nil {
		return nil, err
	}
	// Records are lines and line order means nothing, so when a rewrite
	// squashes commits with notes, concatenating and dropping duplicate
	// lines keeps every record once. git has one mode for all rewritten refs.
	if err := set("notes.rewriteMode", "cat_sort_uniq", false); err != nil {
		return nil, err
	}
	if err := add("notes.displayRef", ref); err != nil {
		return nil, err
	}

	if len(remotes) == 0 {
		steps = append(steps, InitStep{What: "no remote is configured: add one (git remote add NAME URL), then run init again to share decisions"})
	}
	for _, remote := range remotes {
		steps = append(steps, InitStep{What: "run: " + PushCommand(remote, ref)})
	}
	return steps, nil
}

// PushCommand is the command that shares the local trail with a remote.
func PushCommand(remote, ref string) string {
	return fmt.Sprintf("git push %s %s", remote, ref)
}

// addValue adds value to a multi-valued key of the repository's config
// unless it is already there.
func addValue(r *repo.Repo, key, value string) (bool, error) {
	values, err := localValues(r, key, false)
	if err != nil {
		return false, err
	}
	if slices.Contains(values, value) {
		return false, nil
	}
	if _, err := r.Git("config", "--local", "--add", key, value); err != nil {
		return false, fmt.Errorf("set %s: %w", key, err)
	}
	return true, nil
}

// setValue sets a single-valued key unless it already has that value (as
// git reads a boolean: "yes" and "on" are already true).
func setValue(r *repo.Repo, key, value string, boolean bool) (bool, error) {
	values, err := localValues(r, key, boolean)
	if err != nil && !boolean {
		return false, err
	}
	// An unparsable boolean (err != nil) is overwritten with a good one.
	if err == nil && len(values) == 1 && values[0] == value {
		return false, nil
	}
	if _, err := r.Git("config", "--local", "--replace-all", key, value); err != nil {
		return false, fmt.Errorf("set %s: %w", key, err)
	}
	return true, nil
}

// localValues reads every value of key in the repository's own config.
func localValues(r *repo.Repo, key string, boolean bool) ([]string, error) {
	args := []string{"config", "--local", "-z"}
	if boolean {
		args = append(args, "--type=bool")
	}
	out, err := r.Git(append(args, "--get-all", key)...)
	if err != nil {
		var ge *repo.GitError
		if errors.As(err, &ge) && strings.TrimSpace(ge.Stderr) == "" {
			return nil, nil // exit 1, silent: the key is not set
		}
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	var values []string
	for _, v := range strings.Split(string(out), "\x00") {
		if v != "" {
			values = append(values, v)
		}
	}
	return values, nil
}
