package repo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// RefTip is a ref and the object it points to.
type RefTip struct {
	Name string
	ID   string
}

// ListRefs lists the refs matching any of patterns as `git for-each-ref`
// matches them (a full name, a prefix up to a slash, or a glob), in refname
// order. One git call reads them all, loose and packed alike.
func (r *Repo) ListRefs(patterns ...string) ([]RefTip, error) {
	if len(patterns) == 0 {
		return nil, nil
	}
	args := append([]string{"for-each-ref", "--format=%(objectname) %(refname)", "--"}, patterns...)
	out, err := r.Git(args...)
	if err != nil {
		return nil, gitContext(err, "list refs")
	}
	var refs []RefTip
	for _, line := range strings.Split(string(out), "\n") {
		id, name, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		refs = append(refs, RefTip{Name: name, ID: id})
	}
	return refs, nil
}

// NotesAt reads every note of the notes commit tip, as Notes does for a ref;
// a caller that listed tips once reads each tree without resolving again.
// git cat-file reads them; go-git does when that fails, and says why.
func (r *Repo) NotesAt(tip string) (map[string]string, error) {
	if notes, err := r.notesByBatch(tip); err == nil {
		return notes, nil
	}
	return r.notesByGoGit(tip)
}

// notesByGoGit is NotesAt through go-git's object storage.
func (r *Repo) notesByGoGit(tip string) (map[string]string, error) {
	var notes map[string]string
	err := r.withObjects(func(st storer.EncodedObjectStorer) error {
		root, err := commitTree(st, tip)
		if err != nil {
			return err
		}
		blobs := map[string][]plumbing.Hash{}
		if err := scanNotes(st, root, "", blobs); err != nil {
			return err
		}
		found := make(map[string]string, len(blobs))
		for obj, hs := range blobs {
			text, err := readBlobs(st, hs)
			if err != nil {
				return fmt.Errorf("note for %s: %w", obj, err)
			}
			found[obj] = text
		}
		notes = found
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read notes at %s: %w", tip, err)
	}
	return notes, nil
}

// NoteAt reads one object's note in the notes commit tip.
func (r *Repo) NoteAt(tip, object string) (text string, ok bool, err error) {
	object, err = noteObject(object)
	if err != nil {
		return "", false, err
	}
	err = r.withObjects(func(st storer.EncodedObjectStorer) error {
		text, ok, err = readNote(st, tip, object)
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("read note of %s at %s: %w", object, tip, err)
	}
	return text, ok, nil
}

// Independent is `git merge-base --independent`: the commits of ids that no
// other of ids reaches, in the order given. A notes commit with exactly these
// parents makes every one of ids an ancestor, so pushing it fast-forwards.
func (r *Repo) Independent(ids ...string) ([]string, error) {
	seen := map[string]bool{}
	var uniq []string
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	if len(uniq) < 2 {
		return uniq, nil
	}
	out, err := r.Git(append([]string{"merge-base", "--independent"}, uniq...)...)
	if err != nil {
		return nil, gitContext(err, "merge-base")
	}
	keep := map[string]bool{}
	for _, id := range strings.Fields(string(out)) {
		keep[id] = true
	}
	var res []string
	for _, id := range uniq {
		if keep[id] {
			res = append(res, id)
		}
	}
	return res, nil
}

// NotesUpdate is one notes commit: Base's notes tree with Changes applied
// (object id -> new text, "" removes the note), committed with Parents.
type NotesUpdate struct {
	Base    string // notes commit whose tree is changed; "" starts from an empty tree
	Changes map[string]string
	Parents []string
}

// EditNotes generalises EditNote to a merge: plan sees ref's tip ("" when the
// ref does not exist) and returns the commit to write, which may touch many
// notes and have several parents (other clones' notes tips). The ref moves
// with compare-and-swap; when another writer wins, plan runs again on the new
// tip. A plan with no changes whose only parent is the tip writes nothing.
//
// A ref lock held by a live writer lasts milliseconds, so a held lock is
// waited for briefly (lockWait); a lock file older than that was left by a
// crashed process, and the error (ErrRefLocked) names it with git's remedy.
func (r *Repo) EditNotes(ref string, plan func(tip string) (NotesUpdate, error), message string, sign bool) (newTip string, err error) {
	ref = ExpandNotesRef(ref)
	var lastErr error
	var lockedSince time.Time
	for attempt := 0; attempt < maxNoteAttempts; attempt++ {
		if attempt > 0 {
			sleepJitter(attempt)
		}
		old, err := r.ResolveRef(ref)
		if err != nil {
			return "", err
		}
		u, err := plan(old)
		if err != nil {
			return "", err
		}
		if len(u.Changes) == 0 && (len(u.Parents) == 0 || len(u.Parents) == 1 && u.Parents[0] == old) {
			return old, nil
		}
		var tree plumbing.Hash
		err = r.withObjects(func(st storer.EncodedObjectStorer) error {
			tree, err = writeNotes(st, u.Base, u.Changes)
			return err
		})
		if err != nil {
			return "", fmt.Errorf("write notes %s: %w", ref, err)
		}
		tip, err := r.commitNotes(tree, u.Parents, message, sign)
		if err != nil {
			return "", err
		}
		expect := old
		if expect == "" {
			expect = zeroID
		}
		for {
			_, err = r.Git("update-ref", "-m", message, ref, tip, expect)
			if err == nil {
				return tip, nil
			}
			lock := heldLock(err)
			if lock == "" {
				break
			}
			// The same commit is offered again: nothing is re-signed while
			// another writer finishes.
			if lockedSince.IsZero() {
				lockedSince = time.Now()
			}
			if staleLock(lock) || time.Since(lockedSince) > lockWait {
				return "", fmt.Errorf("cannot update %s: %w", ref, err)
			}
			lockRetries.Add(1)
			time.Sleep(lockPoll + rand.N(lockPoll))
		}
		now, rerr := r.ResolveRef(ref)
		if rerr != nil {
			return "", rerr
		}
		if now == old {
			return "", gitContext(err, "update %s", ref)
		}
		lastErr = err
		lostRaces.Add(1)
	}
	return "", fmt.Errorf("update %s: %w after %d attempts (%v)", ref, ErrNoteRace, maxNoteAttempts, lastErr)
}

// sleepJitter waits before a retry, as EditNote does, so that two writers
// that just collided do not collide again.
func sleepJitter(attempt int) {
	time.Sleep(time.Duration(attempt)*time.Millisecond + rand.N(10*time.Millisecond))
}

// writeNotes applies changes to base's notes tree in object order, each at
// the fan-out depth its part of the tree already uses, and returns the root.
func writeNotes(st storer.EncodedObjectStorer, base string, changes map[string]string) (plumbing.Hash, error) {
	var root plumbing.Hash
	if base != "" {
		var err error
		if root, err = commitTree(st, base); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	objects := make([]string, 0, len(changes))
	for obj := range changes {
		objects = append(objects, obj)
	}
	sort.Strings(objects)
	for _, obj := range objects {
		object, err := noteObject(obj)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		path, _, _, err := notePath(st, root, object)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		// The new text replaces the note at every path it had (git
		// combined them on reading): one path keeps it, the others go.
		dups, _, err := notePaths(st, root, object)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		for _, dup := range dups {
			if slices.Equal(dup, path) {
				continue
			}
			if root, _, err = setPath(st, root, dup, plumbing.ZeroHash); err != nil {
				return plumbing.ZeroHash, err
			}
		}
		var blob plumbing.Hash
		if text := changes[obj]; text != "" {
			if blob, err = writeObject(st, plumbing.BlobObject, []byte(text)); err != nil {
				return plumbing.ZeroHash, err
			}
		}
		newRoot, empty, err := setPath(st, root, path, blob)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		root = newRoot
		if empty {
			root = plumbing.ZeroHash
		}
	}
	if root.IsZero() {
		// A notes commit with no notes left still needs a tree.
		return writeObject(st, plumbing.TreeObject, nil)
	}
	return root, nil
}

// commitNotes makes the notes commit with the git binary, so that signing
// honours the user's gpg.format, user.signingKey and programs exactly as
// `git commit -S` does; commit-tree honours commit.gpgSign, so the caller's
// choice is always spelled out.
func (r *Repo) commitNotes(tree plumbing.Hash, parents []string, message string, sign bool) (string, error) {
	args := []string{"commit-tree", tree.String()}
	for _, p := range parents {
		args = append(args, "-p", p)
	}
	args = append(args, "-m", message)
	if sign {
		args = append(args, "-S")
	} else {
		args = append(args, "--no-gpg-sign")
	}
	out, err := runGitDetached(r.dir, args...)
	if err != nil {
		if sign {
			return "", gitContext(err, "sign notes commit")
		}
		return "", gitContext(err, "notes commit")
	}
	return strings.TrimSpace(string(out)), nil
}
