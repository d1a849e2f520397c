package repo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// notesMu serialises this file's use of the shared go-git object storage,
// whose pack index and packfile caches are not safe for concurrent use.
var notesMu sync.Mutex

// maxNoteAttempts bounds how many lost compare-and-swap races EditNote
// retries before it gives up.
const maxNoteAttempts = 20

// lockWait bounds how long a held ref lock is waited for, and is the age
// past which a lock file is taken for one a crashed process left behind.
var lockWait = 2 * time.Second

// lockPoll is the pause between two tries of a held lock.
const lockPoll = 10 * time.Millisecond

// lockRetries counts update-ref tries that found the lock held, so tests
// can tell that a wait really happened.
var lockRetries atomic.Int64

// lostRaces counts compare-and-swap retries, so tests can tell that a race
// really happened.
var lostRaces atomic.Int64

const zeroID = "0000000000000000000000000000000000000000"

// ErrNoteRace is wrapped by EditNote when other writers kept moving the
// notes ref through every attempt.
var ErrNoteRace = errors.New("notes ref kept moving under concurrent writers")

// ExpandNotesRef turns a short notes ref ("vouch", "notes/vouch") into a full
// one, as `git notes --ref` does. Names already under refs/ are kept, so notes
// fetched into another namespace stay readable.
func ExpandNotesRef(ref string) string {
	switch {
	case strings.HasPrefix(ref, "refs/"):
		return ref
	case strings.HasPrefix(ref, "notes/"):
		return "refs/" + ref
	default:
		return "refs/notes/" + ref
	}
}

// ResolveRef returns the object id a ref points to, "" when it does not exist.
// The git binary reads it, so loose and packed refs written by any other
// process are seen as they are now.
func (r *Repo) ResolveRef(ref string) (string, error) {
	out, err := r.Git("rev-parse", "-q", "--verify", "--end-of-options", ref)
	if err != nil {
		var ge *GitError
		if errors.As(err, &ge) && strings.TrimSpace(ge.Stderr) == "" {
			// -q --verify fails silently exactly when the ref does not exist.
			return "", nil
		}
		return "", gitContext(err, "resolve %s", ref)
	}
	return strings.TrimSpace(string(out)), nil
}

// Notes reads every note of a notes ref: annotated object id (40 hex) -> note
// text. Flat and fanned-out trees are read alike. A missing ref is an empty map.
func (r *Repo) Notes(ref string) (map[string]string, error) {
	ref = ExpandNotesRef(ref)
	tip, err := r.ResolveRef(ref)
	if err != nil || tip == "" {
		return map[string]string{}, err
	}
	notes, err := r.NotesAt(tip)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	return notes, nil
}

// Note reads one object's note.
func (r *Repo) Note(ref, object string) (text string, ok bool, err error) {
	ref = ExpandNotesRef(ref)
	tip, err := r.ResolveRef(ref)
	if err != nil || tip == "" {
		return "", false, err
	}
	text, ok, err = r.NoteAt(tip, object)
	if err != nil {
		return "", false, fmt.Errorf("%s: %w", ref, err)
	}
	return text, ok, nil
}

// EditNote replaces the note of object with edit(old) in one new notes commit
// and moves ref with compare-and-swap. Every other entry of the notes tree is
// kept byte for byte; an existing note is rewritten where it is, a new one goes
// at the fan-out depth its part of the tree already uses. When another writer
// wins the race, edit runs again on the note as that writer left it. An empty
// result removes the note, as git does; an unchanged one writes nothing.
func (r *Repo) EditNote(ref, object string, edit func(old string) (string, error), message string, sign bool) (newTip string, err error) {
	object, err = noteObject(object)
	if err != nil {
		return "", err
	}
	return r.EditNotes(ref, func(tip string) (NotesUpdate, error) {
		u := NotesUpdate{Base: tip, Changes: map[string]string{}}
		if tip != "" {
			u.Parents = []string{tip}
		}
		oldText, _, err := r.NoteAt(tip, object)
		if tip != "" && err != nil {
			return u, err
		}
		newText, err := edit(oldText)
		if err != nil {
			return u, err
		}
		if newText != oldText {
			u.Changes[object] = newText
		}
		return u, nil
	}, message, sign)
}

// heldLock is the lock file of an update-ref failure caused by a held lock
// (another writer's, or one a crashed process left), "" for any other failure.
func heldLock(err error) string {
	var ge *GitError
	if errors.As(err, &ge) {
		return ge.LockFile()
	}
	return ""
}

// staleLock reports a lock file that has existed for longer than any live
// writer holds one. A lock that is gone is not stale: the writer finished.
func staleLock(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && time.Since(fi.ModTime()) > lockWait
}

// withObjects runs fn on the shared object storage and, if that fails, once
// more on a freshly opened one: go-git indexes packfiles once, so objects
// that another process packed since (git gc, fetch) are only found anew.
// fn must be safe to run twice.
func (r *Repo) withObjects(fn func(st storer.EncodedObjectStorer) error) error {
	notesMu.Lock()
	err := fn(r.goGit().Storer)
	notesMu.Unlock()
	if err == nil {
		return nil
	}
	fresh, oerr := git.PlainOpenWithOptions(r.gitDir, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if oerr != nil {
		return err
	}
	if c, ok := fresh.Storer.(io.Closer); ok {
		defer c.Close()
	}
	return fn(fresh.Storer)
}

func noteObject(object string) (string, error) {
	if len(object) != 40 || !isHex(object) {
		return "", fmt.Errorf("annotate %q: want a full 40-hex object id", object)
	}
	return strings.ToLower(object), nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

func readObject(st storer.EncodedObjectStorer, t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	obj, err := st.EncodedObject(t, h)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", t, h, err)
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}

func writeObject(st storer.EncodedObjectStorer, t plumbing.ObjectType, data []byte) (plumbing.Hash, error) {
	obj := st.NewEncodedObject()
	obj.SetType(t)
	obj.SetSize(int64(len(data)))
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return st.SetEncodedObject(obj)
}

// commitTree returns the tree of a notes commit.
func commitTree(st storer.EncodedObjectStorer, commit string) (plumbing.Hash, error) {
	data, err := readObject(st, plumbing.CommitObject, plumbing.NewHash(commit))
	if err != nil {
		return plumbing.ZeroHash, err
	}
	line, _, _ := bytes.Cut(data, []byte{'\n'})
	id, ok := bytes.CutPrefix(line, []byte("tree "))
	if !ok || len(id) != 40 || !isHex(string(id)) {
		return plumbing.ZeroHash, fmt.Errorf("commit %s: no tree header", commit)
	}
	return plumbing.NewHash(string(id)), nil
}

// treeEntry is one raw entry of a tree object. The mode is kept as written so
// that rewriting a tree never alters an entry this package did not touch.
type treeEntry struct {
	mode []byte
	name string
	hash plumbing.Hash
}

func (e treeEntry) kind() uint64 {
	m, err := strconv.ParseUint(string(e.mode), 8, 32)
	if err != nil {
		return 0
	}
	return m & 0o170000
}

func (e treeEntry) isDir() bool  { return e.kind() == 0o040000 }
func (e treeEntry) isFile() bool { return e.kind() == 0o100000 }

func parseTree(data []byte) ([]treeEntry, error) {
	var entries []treeEntry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp <= 0 {
			return nil, errors.New("malformed tree: no mode")
		}
		nul := bytes.IndexByte(data[sp+1:], 0)
		if nul < 0 || len(data) < sp+1+nul+1+20 {
			return nil, errors.New("malformed tree: truncated entry")
		}
		var h plumbing.Hash
		end := sp + 1 + nul + 1
		copy(h[:], data[end:end+20])
		entries = append(entries, treeEntry{
			mode: bytes.Clone(data[:sp]),
			name: string(data[sp+1 : sp+1+nul]),
			hash: h,
		})
		data = data[end+20:]
	}
	return entries, nil
}

func encodeTree(entries []treeEntry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		b.Write(e.mode)
		b.WriteByte(' ')
		b.WriteString(e.name)
		b.WriteByte(0)
		b.Write(e.hash[:])
	}
	return b.Bytes()
}

func readTree(st storer.EncodedObjectStorer, h plumbing.Hash) ([]treeEntry, error) {
	if h.IsZero() {
		return nil, nil
	}
	data, err := readObject(st, plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	return parseTree(data)
}

// treeLess is git's tree order: names compare bytewise, a tree as if its
// name ended in '/'.
func treeLess(a, b treeEntry) bool {
	an, bn := a.name, b.name
	if a.isDir() {
		an += "/"
	}
	if b.isDir() {
		bn += "/"
	}
	return an < bn
}

// fanoutDir reports a subtree git reads as a fan-out level at this depth.
func fanoutDir(e treeEntry, prefixLen int) bool {
	return e.isDir() && len(e.name) == 2 && prefixLen+2 < 40 && isHex(e.name)
}

// noteFile reports a blob git reads as a note at this depth.
func noteFile(e treeEntry, prefixLen int) bool {
	return e.isFile() && prefixLen+len(e.name) == 40 && isHex(e.name)
}

// scanNotes collects every note blob under tree, as git's load_subtree does;
// anything else is a foreign entry and ignored. An object can have notes at
// several paths (flat and fanned out, at any depth): git concatenates them,
// so every one is kept, in the order found.
func scanNotes(st storer.EncodedObjectStorer, tree plumbing.Hash, prefix string, out map[string][]plumbing.Hash) error {
	entries, err := readTree(st, tree)
	if err != nil {
		return err
	}
	for _, e := range entries {
		switch {
		case fanoutDir(e, len(prefix)):
			if err := scanNotes(st, e.hash, prefix+e.name, out); err != nil {
				return err
			}
		case noteFile(e, len(prefix)):
			obj := strings.ToLower(prefix + e.name)
			out[obj] = append(out[obj], e.hash)
		}
	}
	return nil
}

// combineNotes is git's combine_notes_concatenate: the notes of one object
// found at several paths, each without its trailing newlines, joined by a
// blank line.
func combineNotes(texts []string) string {
	var parts []string
	for _, t := range texts {
		if t = strings.TrimRight(t, "\n"); t != "" {
			parts = append(parts, t)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if len(parts) == 1 {
		return texts[0]
	}
	return strings.Join(parts, "\n\n") + "\n"
}

// readBlobs reads and combines the note blobs of one object.
func readBlobs(st storer.EncodedObjectStorer, blobs []plumbing.Hash) (string, error) {
	texts := make([]string, 0, len(blobs))
	for _, h := range blobs {
		data, err := readObject(st, plumbing.BlobObject, h)
		if err != nil {
			return "", err
		}
		texts = append(texts, string(data))
	}
	return combineNotes(texts), nil
}

// notePaths finds every path under root where object has a note.
func notePaths(st storer.EncodedObjectStorer, root plumbing.Hash, object string) (paths [][]string, blobs []plumbing.Hash, err error) {
	var walk func(tree plumbing.Hash, prefix int, path []string) error
	walk = func(tree plumbing.Hash, prefix int, path []string) error {
		entries, err := readTree(st, tree)
		if err != nil {
			return err
		}
		rest := object[prefix:]
		for _, e := range entries {
			switch {
			case noteFile(e, prefix) && strings.EqualFold(e.name, rest):
				paths = append(paths, append(slices.Clone(path), e.name))
				blobs = append(blobs, e.hash)
			case fanoutDir(e, prefix) && strings.EqualFold(e.name, rest[:2]):
				if err := walk(e.hash, prefix+2, append(slices.Clone(path), e.name)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if root.IsZero() {
		return nil, nil, nil
	}
	return paths, blobs, walk(root, 0, nil)
}

// notePath finds where object's note lives under root, or where a new one
// belongs: at the fan-out depth that part of the tree already uses.
func notePath(st storer.EncodedObjectStorer, root plumbing.Hash, object string) (path []string, blob plumbing.Hash, found bool, err error) {
	tree := root
	prefix := 0
	for {
		entries, err := readTree(st, tree)
		if err != nil {
			return nil, plumbing.ZeroHash, false, err
		}
		rest := object[prefix:]
		for _, e := range entries {
			if noteFile(e, prefix) && strings.EqualFold(e.name, rest) {
				return append(path, e.name), e.hash, true, nil
			}
		}
		next := -1
		for i, e := range entries {
			if fanoutDir(e, prefix) && strings.EqualFold(e.name, rest[:2]) {
				next = i
				break
			}
		}
		if next < 0 {
			depth, err := fanoutDepth(st, entries, prefix)
			if err != nil {
				return nil, plumbing.ZeroHash, false, err
			}
			for i := 0; i < depth; i++ {
				path = append(path, rest[2*i:2*i+2])
			}
			return append(path, rest[2*depth:]), plumbing.ZeroHash, false, nil
		}
		path = append(path, entries[next].name)
		tree = entries[next].hash
		prefix += 2
	}
}

// fanoutDepth is how many more fan-out levels a level uses: none when notes
// sit in it directly, else one more than its first fan-out subtree uses.
func fanoutDepth(st storer.EncodedObjectStorer, entries []treeEntry, prefix int) (int, error) {
	notes, dirs := 0, -1
	for i, e := range entries {
		switch {
		case noteFile(e, prefix):
			notes++
		case fanoutDir(e, prefix) && dirs < 0:
			dirs = i
		}
	}
	if dirs < 0 || notes > 0 {
		return 0, nil
	}
	sub, err := readTree(st, entries[dirs].hash)
	if err != nil {
		return 0, err
	}
	d, err := fanoutDepth(st, sub, prefix+2)
	return d + 1, err
}

func readNote(st storer.EncodedObjectStorer, tip, object string) (string, bool, error) {
	root, err := commitTree(st, tip)
	if err != nil {
		return "", false, err
	}
	_, blobs, err := notePaths(st, root, object)
	if err != nil || len(blobs) == 0 {
		return "", false, err
	}
	text, err := readBlobs(st, blobs)
	return text, err == nil, err
}

// setPath sets (or, for a zero blob, removes) the note at path under tree and
// rewrites only the trees along that path. It reports a tree left empty so
// that the caller drops it, as git never stores empty fan-out directories.
func setPath(st storer.EncodedObjectStorer, tree plumbing.Hash, path []string, blob plumbing.Hash) (plumbing.Hash, bool, error) {
	entries, err := readTree(st, tree)
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	name := path[0]
	idx := -1
	for i, e := range entries {
		if e.name == name {
			idx = i
			break
		}
	}
	var child treeEntry
	drop := false
	if len(path) == 1 {
		child = treeEntry{mode: []byte("100644"), name: name, hash: blob}
		drop = blob.IsZero()
	} else {
		var sub plumbing.Hash
		if idx >= 0 {
			if !entries[idx].isDir() {
				return plumbing.ZeroHash, false, fmt.Errorf("notes tree has a file %q where a fan-out directory belongs", name)
			}
			sub = entries[idx].hash
		}
		h, empty, err := setPath(st, sub, path[1:], blob)
		if err != nil {
			return plumbing.ZeroHash, false, err
		}
		child = treeEntry{mode: []byte("40000"), name: name, hash: h}
		drop = empty
	}
	switch {
	case drop && idx >= 0:
		entries = append(entries[:idx:idx], entries[idx+1:]...)
	case drop:
	case idx >= 0:
		// Keep the existing mode bytes; only the object changes.
		entries[idx].hash = child.hash
	default:
		at := len(entries)
		for i, e := range entries {
			if treeLess(child, e) {
				at = i
				break
			}
		}
		entries = append(entries[:at:at], append([]treeEntry{child}, entries[at:]...)...)
	}
	if len(entries) == 0 {
		return plumbing.ZeroHash, true, nil
	}
	h, err := writeObject(st, plumbing.TreeObject, encodeTree(entries))
	return h, false, err
}
