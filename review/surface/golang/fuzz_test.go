package golang

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

// lineChange builds a change without git: one hunk covering everything
// between the common leading and trailing lines. Fuzzing needs thousands of
// changes a second, which a temporary repository cannot give.
func lineChange(before, after string) *surface.Change {
	b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
	pre := 0
	for pre < len(b) && pre < len(a) && b[pre] == a[pre] {
		pre++
	}
	suf := 0
	for suf < len(b)-pre && suf < len(a)-pre && b[len(b)-1-suf] == a[len(a)-1-suf] {
		suf++
	}
	h := diff.Hunk{OldStart: pre + 1, NewStart: pre + 1}
	for i := pre; i < len(b)-suf; i++ {
		h.Lines = append(h.Lines, diff.Line{Kind: diff.LineDeleted, Text: b[i], OldNo: i + 1})
	}
	for i := pre; i < len(a)-suf; i++ {
		h.Lines = append(h.Lines, diff.Line{Kind: diff.LineAdded, Text: a[i], NewNo: i + 1})
	}
	f := &diff.File{OldPath: "x.go", NewPath: "x.go", Status: diff.StatusModified, Hunks: []diff.Hunk{h}}
	return &surface.Change{File: f, Before: []byte(before), After: []byte(after)}
}

func FuzzDetect(f *testing.F) {
	seeds := [][2]string{
		{"package a\n", "package a\n\nimport \"os/exec\"\n\nfunc f() { exec.Command(\"sh\", \"-c\", x).Run() }\n"},
		{"package a\n\nimport \"github.com/go-chi/chi/v5\"\n\nfunc r(r chi.Router) {\n\tr.Route(\"/admin\", func(r chi.Router) {\n\t\tr.Use(RequireAdmin)\n\t})\n}\n", "package a\n"},
		{"package a\n", "package a\n\nimport \"crypto/tls\"\n\nvar c = tls.Config{InsecureSkipVerify: true}\n"},
		{"package a\n", "package a\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tos.Create(r.FormValue(\"p\"))\n\tdb.Query(\"SELECT \" + r.URL.Query().Get(\"c\"))\n\tlog.Printf(\"%s\", r.Header)\n}\n"},
		{"package a\n\n// #include <stdio.h>\nimport \"C\"\n", "package a\n\n//go:linkname x y\nfunc x()\n"},
		{"", "package"},
		{"package a\n\nfunc (t *b) run(c string) error {\n\tsafe := ok(c)\n\tif !safe {\n\t\tif err := t.permissions.Request(c); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n\treturn nil\n}\n",
			"package a\n\nvar safeCommands = []string{\"ls\"}\n\nfunc lookupConfigs(d string) []string {\n\treturn []string{d + \"/crushrc\"}\n}\n\nfunc (t *b) run(c string) error {\n\tsafe := false\n\tfor _, p := range safeCommands {\n\t\tif c == p {\n\t\t\tsafe = true\n\t\t}\n\t}\n\tif !safe {\n\t\tif err := t.permissions.Request(c); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n\treturn nil\n}\n"},
		{"package a\n", "package a\n\nimport (\n\t\"context\"\n\t\"os\"\n)\n\nvar t = fantasy.NewAgentTool(\"w\", \"\", func(ctx context.Context, p P, c fantasy.ToolCall) (R, error) {\n\tb, _ := os.ReadFile(p.Path)\n\treturn R{SystemPrompt: string(b)}, os.WriteFile(p.Path, b, 0o644)\n})\n"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, before, after string) {
		// detect, not Detect: Detect recovers from panics, which would hide
		// the bugs this test is here to find.
		for _, fd := range detect(lineChange(before, after)) {
			if fd.Line <= 0 || fd.EndLine < fd.Line {
				t.Fatalf("bad line range %+v", fd)
			}
		}
	})
}

// benchFile is a realistic 2,000-line Go file: handlers that use the
// standard library the way services do.
func benchFile(variant int) string {
	var b strings.Builder
	b.WriteString("package api\n\nimport (\n\t\"database/sql\"\n\t\"fmt\"\n\t\"log\"\n\t\"net/http\"\n\t\"os\"\n\t\"os/exec\"\n)\n\n")
	for i := 0; b.Len() == 0 || strings.Count(b.String(), "\n") < 2000; i++ {
		extra := ""
		if variant == 1 && i < 100 { // 100 handlers x 2 lines = a 200-line diff
			extra = fmt.Sprintf("\tdb.Query(fmt.Sprintf(\"SELECT * FROM t%d WHERE id = %%s\", id))\n\texec.Command(\"sh\", \"-c\", id).Run()\n", i)
		}
		fmt.Fprintf(&b, `func handler%d(w http.ResponseWriter, r *http.Request, db *sql.DB) {
	id := r.URL.Query().Get("id")
	if id == "" {
		http.Error(w, "missing id", http.StatusBadRequest)
		return
	}
	row := db.QueryRow("SELECT name FROM items WHERE id = $1", id)
	var name string
	if err := row.Scan(&name); err != nil {
		log.Printf("lookup %%s: %%v", id, err)
		return
	}
%s	f, _ := os.Open("/etc/app/config.json")
	defer f.Close()
	fmt.Fprintf(w, "%%s", name)
}

`, i, extra)
	}
	return b.String()
}

func BenchmarkDetect(b *testing.B) {
	before, after := benchFile(0), benchFile(1)
	c := surfacetest.Change(b, "internal/api/handlers.go", before, after)
	for b.Loop() {
		if len(New().Detect(c)) == 0 {
			b.Fatal("no findings")
		}
	}
	b.ReportMetric(float64(strings.Count(after, "\n")), "lines")
	b.ReportMetric(float64(len(c.Added())), "added-lines")
}
