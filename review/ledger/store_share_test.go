package ledger

import (
	"slices"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/repo"
)

// fakeRecord is a well-formed record line about commit; the Store never
// verifies, so a made-up signature is enough here.
func fakeRecord(t *testing.T, commit, decision, sig string) (Record, string) {
	t.Helper()
	p := samplePayload()
	p.Commit, p.Decision = commit, decision
	b, err := EncodePayload(p)
	if err != nil {
		t.Fatal(err)
	}
	rec := Record{Payload: string(b), SigFormat: "ssh", Signature: sig}
	line, err := rec.Line()
	if err != nil {
		t.Fatal(err)
	}
	return rec, line
}

// shareRepo is a repository with three commits and no notes.
func shareRepo(t *testing.T) (*repo.Repo, string, []string) {
	t.Helper()
	isolateGit(t)
	dir := t.TempDir()
	run(t, dir, nil, "git", "init", "-q", "-b", "main")
	var commits []string
	for _, m := range []string{"one", "two", "three"} {
		run(t, dir, nil, "git", "commit", "-q", "--allow-empty", "-m", m)
		commits = append(commits, run(t, dir, nil, "git", "rev-parse", "HEAD"))
	}
	r, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r, dir, commits
}

// addNote writes text as commit's note on ref with git itself, as a fetch
// from another clone would leave it.
func addNote(t *testing.T, dir, ref, commit, text string) {
	t.Helper()
	run(t, dir, []byte(text), "git", "notes", "--ref="+ref, "add", "-f", "-F", "-", commit)
}

func refsOf(entries []Entry) []string {
	var refs []string
	for _, e := range entries {
		refs = append(refs, e.Ref)
	}
	return refs
}

func TestStoreRemoteDedup(t *testing.T) {
	r, dir, commits := shareRepo(t)
	c := commits[0]
	recA, lineA := fakeRecord(t, c, Accept, "sig-a")
	_, lineB := fakeRecord(t, c, Reject, "sig-b")
	st := NewStore(r, "")
	if err := st.Append(c, recA, false); err != nil {
		t.Fatal(err)
	}
	// The remote holds A's record too (fetched back after a push), written
	// with another JSON spelling, plus B's.
	respelled := strings.Replace(lineA, `"sigformat":"ssh"`, `"sigformat": "ssh"`, 1)
	addNote(t, dir, "remotes/origin/vouch", c, respelled+"\n"+lineB+"\n")
	addNote(t, dir, "remotes/origin/other", c, "not ours\n")

	all, err := st.Load()
	if err != nil {
		t.Fatal(err)
	}
	one, err := st.Entries(c)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]Entry{"Load": all[c], "Entries": one} {
		want := []string{"refs/notes/vouch", "refs/notes/remotes/origin/vouch"}
		if !slices.Equal(refsOf(got), want) || got[0].Raw != lineA || got[1].Raw != lineB {
			t.Fatalf("%s: refs %v, entries %+v", name, refsOf(got), got)
		}
	}

	// Appending folds B's record in; A's stays once, byte for byte.
	recC, lineC := fakeRecord(t, c, Accept, "sig-c")
	if err := st.Append(c, recC, false); err != nil {
		t.Fatal(err)
	}
	note := run(t, dir, nil, "git", "notes", "--ref=vouch", "show", c)
	if want := lineA + "\n" + lineB + "\n" + lineC; note != want {
		t.Fatalf("note:\n%s\nwant:\n%s", note, want)
	}
	got, _ := st.Entries(c)
	if !slices.Equal(refsOf(got), []string{"refs/notes/vouch", "refs/notes/vouch", "refs/notes/vouch"}) {
		t.Fatalf("after append: %v", refsOf(got))
	}
	// The remote's notes commit is now an ancestor: pushing fast-forwards.
	run(t, dir, nil, "git", "merge-base", "--is-ancestor", "refs/notes/remotes/origin/vouch", "refs/notes/vouch")

	// Appending a record the remote already holds writes nothing.
	before := run(t, dir, nil, "git", "rev-parse", "refs/notes/vouch")
	recB, _ := fakeRecord(t, c, Reject, "sig-b")
	if err := st.Append(c, recB, false); err != nil {
		t.Fatal(err)
	}
	if after := run(t, dir, nil, "git", "rev-parse", "refs/notes/vouch"); after != before {
		t.Fatal("a record already folded in made a notes commit")
	}
}

func TestStoreRemoteForeignAndMerge(t *testing.T) {
	r, dir, commits := shareRepo(t)
	c, d, e := commits[0], commits[1], commits[2]
	_, lineB := fakeRecord(t, c, Accept, "sig-b")
	_, lineBe := fakeRecord(t, e, Accept, "sig-be")
	recAe, lineAe := fakeRecord(t, e, Reject, "sig-ae")

	st := NewStore(r, "vouch")
	// Local history: A decided e.
	if err := st.Append(e, recAe, false); err != nil {
		t.Fatal(err)
	}
	// Another clone: a hand-written line and B's record on c, a note that is
	// all foreign on d, and B's own record on e.
	addNote(t, dir, "remotes/origin/vouch", c, "LGTM, checked by hand\n"+lineB+"\n")
	addNote(t, dir, "remotes/origin/vouch", d, "foreign note\n")
	addNote(t, dir, "remotes/origin/vouch", e, lineBe+"\n")
	remoteTip := run(t, dir, nil, "git", "rev-parse", "refs/notes/remotes/origin/vouch")

	got, err := st.Entries(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Err == nil || got[1].Err != nil || got[0].Ref != "refs/notes/remotes/origin/vouch" {
		t.Fatalf("entries of c: %+v", got)
	}

	recA, lineA := fakeRecord(t, c, Accept, "sig-a")
	if err := st.Append(c, recA, false); err != nil {
		t.Fatal(err)
	}
	// c: the remote's record folded in, its foreign line not copied.
	if note := run(t, dir, nil, "git", "notes", "--ref=vouch", "show", c); note != lineB+"\n"+lineA {
		t.Fatalf("note of c:\n%s", note)
	}
	// d: a note only the remote holds is carried whole, so pushing this
	// merge does not remove it from the remote.
	if note := run(t, dir, nil, "git", "notes", "--ref=vouch", "show", d); note != "foreign note" {
		t.Fatalf("note of d: %q", note)
	}
	// e: local lines first, byte for byte, then the remote's record.
	if note := run(t, dir, nil, "git", "notes", "--ref=vouch", "show", e); note != lineAe+"\n"+lineBe {
		t.Fatalf("note of e:\n%s", note)
	}
	parents := strings.Fields(run(t, dir, nil, "git", "log", "-1", "--format=%P", "refs/notes/vouch"))
	if len(parents) != 2 || parents[1] != remoteTip {
		t.Fatalf("notes commit parents %v, want the old tip and %s", parents, remoteTip)
	}
	run(t, dir, nil, "git", "fsck", "--strict", "--no-progress")

	// The foreign line is still reported, from the remote, never fatal.
	got, _ = st.Entries(c)
	if len(got) != 3 || got[2].Err == nil || got[2].Ref != "refs/notes/remotes/origin/vouch" {
		t.Fatalf("entries of c after append: %+v", got)
	}
}

func TestStoreRemoteRefs(t *testing.T) {
	r, dir, commits := shareRepo(t)
	c := commits[0]
	_, lineB := fakeRecord(t, c, Accept, "sig-b")
	_, lineT := fakeRecord(t, c, Accept, "sig-t")
	_, lineX := fakeRecord(t, c, Accept, "sig-x")
	addNote(t, dir, "remotes/up/stream/decisions", c, lineB+"\n")
	addNote(t, dir, "team/decisions", c, lineT+"\n")
	addNote(t, dir, "remotes/origin/vouch", c, lineX+"\n") // another trail's name

	st := NewStore(r, "decisions")
	got, err := st.Entries(c)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(refsOf(got), []string{"refs/notes/remotes/up/stream/decisions"}) {
		t.Fatalf("custom ref: %v", refsOf(got))
	}
	withTeam := st.WithRemotes("notes/team/decisions", "refs/notes/missing")
	all, err := withTeam.Load()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"refs/notes/remotes/up/stream/decisions", "refs/notes/team/decisions"}; !slices.Equal(refsOf(all[c]), want) {
		t.Fatalf("with config refs: %v", refsOf(all[c]))
	}
	if len(st.extra) != 0 {
		t.Fatal("WithRemotes changed the original store")
	}
}

func TestStoreConcurrentAppendWithRemote(t *testing.T) {
	r, dir, commits := shareRepo(t)
	c := commits[0]
	_, lineB := fakeRecord(t, c, Accept, "sig-b")
	addNote(t, dir, "remotes/origin/vouch", c, lineB+"\n")
	addNote(t, dir, "remotes/origin/vouch", commits[1], lineB+"\n")

	const writers = 8
	errs := make(chan error, writers)
	for i := range writers {
		rec, _ := fakeRecord(t, c, Accept, "sig-writer-"+string(rune('a'+i)))
		go func() {
			// Each writer opens its own Repo, as separate processes would.
			rr, err := repo.Open(dir)
			if err != nil {
				errs <- err
				return
			}
			errs <- NewStore(rr, "").Append(c, rec, false)
		}()
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	got, err := NewStore(r, "").Entries(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != writers+1 {
		t.Fatalf("%d entries, want %d", len(got), writers+1)
	}
	for _, e := range got {
		if e.Ref != "refs/notes/vouch" || e.Err != nil {
			t.Fatalf("entry %+v", e)
		}
	}
	run(t, dir, nil, "git", "merge-base", "--is-ancestor", "refs/notes/remotes/origin/vouch", "refs/notes/vouch")
	run(t, dir, nil, "git", "fsck", "--strict", "--no-progress")
}
