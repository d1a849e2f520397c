package review

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/checklist"
)

func TestDraftsSurviveASession(t *testing.T) {
	r, _ := history(t)
	sshKey(t, r)
	sess, err := Open(Options{Dir: r.dir})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := sess.Queue(nil)
	a, err := sess.Analyse(q.Items[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Checklists) == 0 {
		t.Fatal("no checklists for an AI commit")
	}
	id := a.Checklists[0].Checklist.ID
	ticks := Ticks{id: {0: true, 1: true, 2: false}}
	if err := sess.Drafts().Save(a, ticks); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(r.dir, ".git", DraftDir, a.Item.Commit.SHA+".json")); err != nil {
		t.Fatalf("draft not in the git dir: %v", err)
	}

	// A new session (a restart) reads the same ticks back.
	again, _ := Open(Options{Dir: r.dir})
	got, err := again.Drafts().Load(a)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Ticks{id: {0: true, 1: true}}); !reflect.DeepEqual(got, want) {
		t.Fatalf("loaded %v, want %v", got, want)
	}
	if out := r.git("notes", "--ref=vouch", "list"); strings.TrimSpace(out) != "" {
		t.Fatalf("a draft reached the notes: %s", out)
	}

	// An item whose text changed since is not ticked by position.
	changed := *a
	cl := *a.Checklists[0].Checklist
	cl.Items = append([]checklist.Item{{Text: "a new first item"}}, cl.Items...)
	changed.Checklists = []checklist.Selected{{Checklist: &cl}}
	if got, _ := again.Drafts().Load(&changed); len(got[id]) != 0 {
		t.Fatalf("ticks by position after the list changed: %v", got)
	}

	// Recording the decision clears the draft.
	if _, _, err := again.Decide(a, Decision{Accept: true, Via: "cli", Ticks: got}); err != nil {
		t.Fatal(err)
	}
	if got, _ := again.Drafts().Load(a); len(got) != 0 {
		t.Fatalf("draft kept after the decision: %v", got)
	}
}

func TestDraftsRefuseOddNames(t *testing.T) {
	d := &Drafts{dir: t.TempDir()}
	if err := d.Clear("../../config"); err == nil {
		t.Fatal("a path as a commit id was accepted")
	}
	bad := &Analysis{Item: Item{}}
	bad.Item.Commit.SHA = strings.Repeat("a", 40)
	os.WriteFile(filepath.Join(d.dir, bad.Item.Commit.SHA+".json"), []byte("{not json"), 0o600)
	if _, err := d.Load(bad); err == nil || !strings.Contains(err.Error(), "delete it") {
		t.Fatalf("unreadable draft: %v", err)
	}
}

func FuzzParseDraft(f *testing.F) {
	f.Add([]byte(`{"ticks":{"ai-change":[{"index":0,"text":"x"}]}}`))
	f.Add([]byte(`{"ticks":{"a":[{"index":-1,"text":""},{"index":99999999999}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dr, err := parseDraft(data)
		if err != nil {
			return
		}
		a := &Analysis{Checklists: []checklist.Selected{{Checklist: &checklist.Checklist{ID: "a", Items: []checklist.Item{{Text: "x"}}}}}}
		for id, items := range dr.ticksFor(a) {
			for i := range items {
				if id != "a" || i != 0 {
					t.Fatalf("tick outside the checklist: %s %d", id, i)
				}
			}
		}
	})
}
