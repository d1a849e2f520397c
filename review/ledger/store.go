package ledger

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vouch-review/vouch/review/repo"
)

// DefaultRef is where decisions live unless configured otherwise.
const DefaultRef = "refs/notes/vouch"

// remotesPrefix is where `vouch init` fetches other clones' trails:
// refs/notes/remotes/<remote>/<name>.
const remotesPrefix = "refs/notes/remotes/"

// Store is the decision trail on a notes ref, merged with the same trail as
// other clones recorded it (fetched under refs/notes/remotes/*/<name>, or
// named by config).
type Store struct {
	repo  *repo.Repo
	ref   string
	extra []string
}

// NewStore opens the trail on ref ("" for DefaultRef; short names expand as
// `git notes --ref` expands them).
func NewStore(r *repo.Repo, ref string) *Store {
	if ref == "" {
		ref = DefaultRef
	}
	return &Store{repo: r, ref: repo.ExpandNotesRef(ref)}
}

// WithRemotes returns a Store that also reads (and folds into its writes) the
// notes refs given, besides refs/notes/remotes/*/<name>; refs that do not
// exist are skipped.
func (s *Store) WithRemotes(refs ...string) *Store {
	c := *s
	c.extra = slices.Clone(s.extra)
	for _, ref := range refs {
		if ref = strings.TrimSpace(ref); ref != "" {
			c.extra = append(c.extra, repo.ExpandNotesRef(ref))
		}
	}
	return &c
}

// Ref is the full notes ref.
func (s *Store) Ref() string { return s.ref }

// name is the ref's last component, the name other clones' copies carry.
func (s *Store) name() string { return s.ref[strings.LastIndexByte(s.ref, '/')+1:] }

// sources lists, in one git call, the local ref's tip ("" when absent) and
// every other ref the trail is read from, in refname order.
func (s *Store) sources() (local string, others []repo.RefTip, err error) {
	refs, err := s.repo.ListRefs(append([]string{s.ref, remotesPrefix}, s.extra...)...)
	if err != nil {
		return "", nil, err
	}
	suffix := "/" + s.name()
	for _, rt := range refs {
		switch {
		case rt.Name == s.ref:
			local = rt.ID
		case slices.Contains(s.extra, rt.Name),
			strings.HasPrefix(rt.Name, remotesPrefix) && strings.HasSuffix(rt.Name, suffix) &&
				len(rt.Name) > len(remotesPrefix)+len(suffix):
			others = append(others, rt)
		}
	}
	return local, others, nil
}

// entryKey identifies a record across trails. A record is its signature over
// its payload, however the line was encoded; a copied signature on another
// payload is a different (forged) record that verify must still see. Other
// lines are known by their text.
func entryKey(e Entry) string { return RecordKey(e) }

// RecordKey identifies a record across trails and notes commits: its
// signature over its payload (a malformed line by its text).
func RecordKey(e Entry) string {
	if e.Err != nil {
		return "line\x00" + strings.TrimSuffix(e.Raw, "\r")
	}
	return "record\x00" + e.Record.Signature + "\x00" + e.Record.Payload
}

// merged collects entries of one commit from several refs, first copy wins.
type merged struct {
	seen    map[string]bool
	entries []Entry
}

func (m *merged) add(ref, text string) { m.addParsed(ref, ParseNote(text)) }

// addParsed is add of a note already parsed.
func (m *merged) addParsed(ref string, parsed []Entry) {
	for _, e := range parsed {
		k := entryKey(e)
		if m.seen[k] {
			continue
		}
		if m.seen == nil {
			m.seen = map[string]bool{}
		}
		m.seen[k] = true
		e.Ref = ref
		m.entries = append(m.entries, e)
	}
}

// Load parses every note of the trail, the local ref's and the other clones':
// commit id -> entries, local ones first, each record once.
func (s *Store) Load() (map[string][]Entry, error) {
	local, others, err := s.sources()
	if err != nil {
		return nil, err
	}
	// Every note is parsed on every CPU (a record is JSON read strictly and
	// encoded again, tens of microseconds), then merged in the order read:
	// the local ref's first, then the others', as one after another.
	type note struct{ ref, commit, text string }
	var notes []note
	read := func(ref, tip string) error {
		texts, err := s.repo.NotesAt(tip)
		if err != nil {
			return s.notesError(ref, tip, err)
		}
		for commit, text := range texts {
			notes = append(notes, note{ref, commit, text})
		}
		return nil
	}
	if local != "" {
		if err := read(s.ref, local); err != nil {
			return nil, err
		}
	}
	for _, rt := range others {
		if err := read(rt.Name, rt.ID); err != nil {
			return nil, err
		}
	}
	parsed := make([][]Entry, len(notes))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(notes)/64, 1)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(notes); i = int(next.Add(1)) - 1 {
				parsed[i] = ParseNote(notes[i].text)
			}
		})
	}
	wg.Wait()
	all := make(map[string]*merged, len(notes))
	for i, n := range notes {
		m := all[n.commit]
		if m == nil {
			m = &merged{}
			all[n.commit] = m
		}
		m.addParsed(n.ref, parsed[i])
	}
	out := make(map[string][]Entry, len(all))
	for commit, m := range all {
		out[commit] = m.entries
	}
	return out, nil
}

// notesError explains a notes ref that cannot be read; one moved onto a
// blob or a tree by hand says so and how to put it back.
func (s *Store) notesError(ref, tip string, err error) error {
	if typ, terr := s.repo.ObjectType(tip); terr == nil && typ != "commit" {
		return fmt.Errorf("%s points at a %s, not a notes commit: put it back with git update-ref %s COMMIT (git reflog %s shows where it was)", ref, typ, ref, ref)
	}
	return fmt.Errorf("read notes %s: %w", ref, err)
}

// Entries parses the notes of one commit across the trail, as Load does.
func (s *Store) Entries(commit string) ([]Entry, error) {
	local, others, err := s.sources()
	if err != nil {
		return nil, err
	}
	var m merged
	read := func(ref, tip string) error {
		text, _, err := s.repo.NoteAt(tip, commit)
		if err != nil {
			return s.notesError(ref, tip, err)
		}
		m.add(ref, text)
		return nil
	}
	if local != "" {
		if err := read(s.ref, local); err != nil {
			return nil, err
		}
	}
	for _, rt := range others {
		if err := read(rt.Name, rt.ID); err != nil {
			return nil, err
		}
	}
	return m.entries, nil
}

// fold returns text, kept byte for byte, with every well-formed record line of
// others that it lacks appended. Malformed or foreign lines of others are not
// copied: they stay where they were written, and readers report them there.
func fold(text string, others ...string) string {
	have := map[string]bool{}
	for _, e := range ParseNote(text) {
		have[entryKey(e)] = true
	}
	var add []string
	for _, o := range others {
		for _, e := range ParseNote(o) {
			k := entryKey(e)
			if e.Err != nil || have[k] {
				continue
			}
			have[k] = true
			add = append(add, e.Raw)
		}
	}
	if len(add) == 0 {
		return text
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return text + strings.Join(add, "\n") + "\n"
}

// Append adds rec as a new line of commit's note in one notes commit, keeping
// every existing line byte for byte; sign makes git sign that commit. A record
// already present is not written twice, as cat_sort_uniq would drop it.
//
// Records that other clones wrote for commit (fetched notes refs) are folded
// into the same note. When those refs hold notes commits the local ref does
// not contain yet, the new commit merges them: it has their tips as parents
// and carries their notes (other commits' notes they alone hold are taken
// whole; notes both sides hold gain the missing records), so a later
// `git push origin refs/notes/vouch` fast-forwards and loses no decision.
func (s *Store) Append(commit string, rec Record, sign bool) error {
	line, err := rec.Line()
	if err != nil {
		return fmt.Errorf("encode record: %w", err)
	}
	// Never write what ParseNote would reject, nor a record about another
	// commit: verify would report it as replayed.
	_, p, err := parseRecord(line)
	if err != nil {
		return fmt.Errorf("refusing to record: %w: %v", ErrMalformed, err)
	}
	commit = strings.ToLower(commit)
	if p.Commit != commit {
		return fmt.Errorf("refusing to record: decision about %q attached to %q", p.Commit, commit)
	}
	short := commit
	if len(short) > 7 {
		short = short[:7]
	}
	message := fmt.Sprintf("vouch: %s %s", p.Decision, short)

	_, others, err := s.sources()
	if err != nil {
		return err
	}
	// Other clones' tips and notes are read once; only the local ref races.
	remoteNote := make([]string, len(others))
	for i, rt := range others {
		if remoteNote[i], _, err = s.repo.NoteAt(rt.ID, commit); err != nil {
			return fmt.Errorf("read notes %s: %w", rt.Name, err)
		}
	}
	// What commit's note gains besides its local lines: other clones'
	// records, then the new one.
	gain := append(remoteNote, line)
	cache := map[string]map[string]string{} // notes commit -> notes; immutable, so kept across retries

	_, err = s.repo.EditNotes(s.ref, func(tip string) (repo.NotesUpdate, error) {
		ids := []string{tip}
		for _, rt := range others {
			ids = append(ids, rt.ID)
		}
		parents, err := s.repo.Independent(ids...)
		if err != nil {
			return repo.NotesUpdate{}, err
		}
		var merging []repo.RefTip // other tips the local ref does not contain
		for _, rt := range others {
			if slices.Contains(parents, rt.ID) && rt.ID != tip {
				merging = append(merging, rt)
			}
		}
		if len(merging) == 0 {
			// Nothing to merge: only this commit's note changes.
			var old string
			if tip != "" {
				if old, _, err = s.repo.NoteAt(tip, commit); err != nil {
					return repo.NotesUpdate{}, err
				}
			}
			u := repo.NotesUpdate{Base: tip, Changes: map[string]string{}}
			if tip != "" {
				u.Parents = []string{tip}
			}
			if text := fold(old, gain...); text != old {
				u.Changes[commit] = text
			}
			return u, nil
		}
		return s.mergePlan(tip, parents, merging, cache, commit, gain)
	}, message, sign)
	if err != nil {
		return fmt.Errorf("record %s of %s: %w", p.Decision, short, err)
	}
	return nil
}

// mergePlan is the notes commit that merges the merging tips into the local
// tip and appends to commit's note. Its tree starts from whichever parent's
// tree it differs least from, so a first write after a fetch touches one note
// rather than rewriting every note the other clone recorded.
func (s *Store) mergePlan(tip string, parents []string, merging []repo.RefTip, cache map[string]map[string]string, commit string, gain []string) (repo.NotesUpdate, error) {
	notesAt := func(id string) (map[string]string, error) {
		if id == "" {
			return map[string]string{}, nil
		}
		if n, ok := cache[id]; ok {
			return n, nil
		}
		n, err := s.repo.NotesAt(id)
		if err != nil {
			return nil, err
		}
		cache[id] = n
		return n, nil
	}
	local, err := notesAt(tip)
	if err != nil {
		return repo.NotesUpdate{}, err
	}
	theirs := make([]map[string]string, len(merging))
	for i, rt := range merging {
		if theirs[i], err = notesAt(rt.ID); err != nil {
			return repo.NotesUpdate{}, fmt.Errorf("read notes %s: %w", rt.Name, err)
		}
	}

	want := make(map[string]string, len(local))
	for obj, text := range local {
		want[obj] = text
	}
	for _, notes := range theirs {
		for obj, text := range notes {
			if obj == commit {
				continue
			}
			mine, ok := want[obj]
			switch {
			case !ok:
				// Only they hold it: take their note as it is, foreign lines
				// and all, so the push does not drop it from the remote.
				want[obj] = text
			case mine != text:
				want[obj] = fold(mine, text)
			}
		}
	}
	want[commit] = fold(local[commit], gain...)

	// Start from the parent tree needing the fewest changes.
	best, bestChanges := "", map[string]string(nil)
	for _, id := range parents {
		base, err := notesAt(id)
		if err != nil {
			return repo.NotesUpdate{}, err
		}
		changes := map[string]string{}
		for obj, text := range want {
			if base[obj] != text {
				changes[obj] = text
			}
		}
		for obj := range base {
			if _, ok := want[obj]; !ok {
				changes[obj] = ""
			}
		}
		if bestChanges == nil || len(changes) < len(bestChanges) {
			best, bestChanges = id, changes
		}
	}
	return repo.NotesUpdate{Base: best, Changes: bestChanges, Parents: parents}, nil
}
