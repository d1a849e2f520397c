package diff

import "testing"

func TestMoves(t *testing.T) {
	patch := `diff --git a/a.go b/a.go
index 1111111..2222222 100644
--- a/a.go
+++ b/a.go
@@ -1,6 +1,2 @@
 package a
-
-func Helper(x int) int {
-	return x * 2 + offset
-}
-}
+// Helper moved to b.go.
diff --git a/b.go b/b.go
index 3333333..4444444 100644
--- a/b.go
+++ b/b.go
@@ -1,2 +1,6 @@
 package a
-var y = 1
+var y = 2
+
+func Helper(x int) int {
+	return x * 2 + offset
+}
`
	files, err := Parse([]byte(patch))
	if err != nil {
		t.Fatal(err)
	}
	moves := Moves(files)
	// a.go's "func Helper", its body line and "}" went to b.go, lines 2..4
	// of its hunk; the blank line and the lone "}" after it stay unmoved.
	from := LineRef{0, 0, 2}
	to, ok := moves[from]
	if !ok || to.File != 1 || files[1].Hunks[0].Lines[to.Line].Text != "func Helper(x int) int {" {
		t.Fatalf("func Helper not seen as moved: %v -> %v (%v)", from, to, moves)
	}
	if back := moves[to]; back != from {
		t.Fatalf("pair is not symmetric: %v -> %v -> %v", from, to, back)
	}
	if _, ok := moves[LineRef{0, 0, 1}]; ok {
		t.Error("a blank line counted as moved")
	}
	// var y = 1 -> var y = 2 is a rewrite, not a move.
	for ref := range moves {
		if l := files[ref.File].Hunks[ref.Hunk].Lines[ref.Line]; l.Text == "var y = 1" || l.Text == "var y = 2" {
			t.Errorf("a rewritten line counted as moved: %q", l.Text)
		}
	}
	if len(Moves(files[1:])) != 0 {
		t.Error("moves found with no deleted counterpart")
	}
}

func FuzzMoves(f *testing.F) {
	f.Add("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-abcdefghijklmnopqrstuvwxyz\n+abcdefghijklmnopqrstuvwxyz\n")
	f.Fuzz(func(t *testing.T, patch string) {
		files, err := Parse([]byte(patch))
		if err != nil {
			return
		}
		for from, to := range Moves(files) {
			a := files[from.File].Hunks[from.Hunk].Lines[from.Line]
			b := files[to.File].Hunks[to.Hunk].Lines[to.Line]
			if a.Kind == b.Kind || moveKey(a.Text) != moveKey(b.Text) {
				t.Fatalf("bad pair %q -> %q", a.Text, b.Text)
			}
		}
	})
}
