package repo

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// TestNotesByBatchMatchesGoGit reads one notes tree both ways and with git
// notes show: flat notes, notes fanned out one and two levels deep, one
// object noted at three paths, and foreign entries (a file, a directory
// that is not a fan-out level, a note-named directory, a name too short).
func TestNotesByBatchMatchesGoGit(t *testing.T) {
	dir, ids := newTestRepo(t, 6)
	blob := func(text string) string {
		cmd := exec.Command("git", "hash-object", "-w", "--stdin")
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(text)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	note := func(i int, where string) string { return fmt.Sprintf("note %d %s\n", i, where) }
	a, b, c, d, e, f := ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]
	// b and c: a/b/ fan-out two levels deep; d: one level; a and e flat; f at three paths.
	deep := mktree(t, dir, "100644 blob "+blob(note(1, "deep"))+"\t"+b[4:]+"\n")
	lvl2 := map[string]string{b[:2]: "040000 tree " + deep + "\t" + b[2:4] + "\n"}
	if c[:2] == b[:2] {
		lvl2[c[:2]] += "100644 blob " + blob(note(2, "one level under b's")) + "\t" + c[2:] + "\n"
	} else {
		lvl2[c[:2]] = "100644 blob " + blob(note(2, "one level")) + "\t" + c[2:] + "\n"
	}
	lvl2[d[:2]] += "100644 blob " + blob(note(3, "one level")) + "\t" + d[2:] + "\n"
	lvl2[f[:2]] += "100644 blob " + blob(note(5, "fanned")) + "\t" + f[2:] + "\n"
	root := "100644 blob " + blob(note(0, "flat")) + "\t" + a + "\n" +
		"100644 blob " + blob(note(4, "flat")) + "\t" + e + "\n" +
		"100644 blob " + blob(note(5, "flat")) + "\t" + f + "\n" +
		"100644 blob " + blob("foreign\n") + "\tREADME\n" +
		"100644 blob " + blob("short\n") + "\t" + f[:20] + "\n" +
		"040000 tree " + mktree(t, dir, "100644 blob "+blob("x\n")+"\tinside\n") + "\tzz\n" +
		"040000 tree " + mktree(t, dir, "100644 blob "+blob("x\n")+"\tinside\n") + "\t" + e[:39] + "0\n"
	for prefix, listing := range lvl2 {
		root += "040000 tree " + mktree(t, dir, listing) + "\t" + prefix + "\n"
	}
	tip := gitT(t, dir, "commit-tree", "-m", "notes", mktree(t, dir, root))
	gitT(t, dir, "update-ref", "refs/notes/x", tip)

	r := openT(t, dir)
	byBatch, err := r.notesByBatch(tip)
	if err != nil {
		t.Fatal(err)
	}
	byGoGit, err := r.notesByGoGit(tip)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(byBatch) != fmt.Sprint(byGoGit) {
		t.Errorf("cat-file reads\n%v\ngo-git reads\n%v", byBatch, byGoGit)
	}
	if len(byBatch) != 6 {
		t.Errorf("%d notes read, want the 6 objects noted: %v", len(byBatch), byBatch)
	}
	for _, id := range ids {
		if shown := gitT(t, dir, "notes", "--ref=x", "show", id); strings.TrimSpace(byBatch[id]) != shown {
			t.Errorf("note of %s is %q; git notes show prints %q", id[:8], byBatch[id], shown)
		}
	}
	// A tip that is not a notes commit is left to go-git, which says why.
	if _, err := r.notesByBatch(blob("not a commit\n")); err == nil {
		t.Error("a blob read as a notes commit")
	}
	if _, err := r.NotesAt(blob("not a commit\n")); err == nil {
		t.Error("NotesAt of a blob did not fail")
	}
}
