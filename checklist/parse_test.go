package checklist

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParseGood(t *testing.T) {
	data, err := os.ReadFile("testdata/good.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, crlf := range []bool{false, true} {
		name := "LF"
		if crlf {
			name = "CRLF"
			data = []byte(strings.ReplaceAll(string(data), "\n", "\r\n"))
		}
		t.Run(name, func(t *testing.T) {
			c, problems := Parse("good.md", data)
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			if c.ID != "egress-org" || c.Title != "Outbound calls (Example Corp)" || c.Severity != "medium" {
				t.Errorf("id, title, severity = %q, %q, %q", c.ID, c.Title, c.Severity)
			}
			wantApplies := Applies{Categories: []string{"egress"}, Rules: []string{"egress/*"}, Paths: []string{"**/clients/**"}}
			if !reflect.DeepEqual(c.Applies, wantApplies) {
				t.Errorf("applies = %+v, want %+v", c.Applies, wantApplies)
			}
			if c.Intro != "Example Corp sends traffic out only through the egress proxy." {
				t.Errorf("intro = %q", c.Intro)
			}
			if !strings.HasPrefix(c.Body, "Example Corp") || !strings.HasSuffix(c.Body, "- [ ] TLS is verified\n") || strings.Contains(c.Body, "\r") {
				t.Errorf("body = %q", c.Body)
			}
			want := []Item{
				{Text: "The host is on the **allowlist** in `proxy/hosts.yaml` (ASVS 5.0 V13.2.4)", Line: 12,
					Explanation: "Ask #platform-security when it is not.\n\n```yaml\nhosts:\n  - api.example.com\n```"},
				{Text: "Timeouts are set", Line: 19, Explanation: "Retries are bounded too."},
				{Text: "Connect timeout", Line: 20},
				{Text: "Read timeout", Line: 21, Explanation: "Under 30s for user-facing calls."},
				{Text: "TLS is verified", Line: 25},
			}
			if !reflect.DeepEqual(c.Items, want) {
				t.Errorf("items:\n got %#v\nwant %#v", c.Items, want)
			}
		})
	}
}

func TestParseBody(t *testing.T) {
	const fm = "---\nid: x\ntitle: X\napplies:\n  ai: true\n---\n" // body starts on line 7
	tests := []struct {
		name  string
		body  string
		intro string
		items []Item
	}{
		{"ticked and unticked", "- [x] Done\n- [X] Also done\n- [ ] Open\n", "", []Item{
			{Text: "Done", Line: 7}, {Text: "Also done", Line: 8}, {Text: "Open", Line: 9}}},
		{"plain bullets are not items", "Intro.\n\n- a plain bullet\n- [ ] Item\n", "Intro.", []Item{
			{Text: "Item", Line: 10}}},
		{"checkbox in a code block is not an item", "```\n- [ ] not this\n```\n\n- [ ] This\n", "```\n- [ ] not this\n```", []Item{
			{Text: "This", Line: 11}}},
		{"nested under a plain bullet", "- Group\n  - [ ] Inner\n", "", []Item{
			{Text: "Inner", Line: 8}}},
		{"ordered list", "1. [ ] First\n2. [ ] Second\n   why\n", "", []Item{
			{Text: "First", Line: 7}, {Text: "Second", Line: 8, Explanation: "why"}}},
		{"loose list", "- [ ] A\n\n  More on A.\n\n- [ ] B\n", "", []Item{
			{Text: "A", Line: 7, Explanation: "More on A."}, {Text: "B", Line: 11}}},
		{"lazy continuation", "- [ ] A\nlazy line\n- [ ] B\n", "", []Item{
			{Text: "A", Line: 7, Explanation: "lazy line"}, {Text: "B", Line: 9}}},
		{"deep nesting", "- [ ] A\n  - [ ] B\n    - [ ] C\n      c\n\n    b\n\n  a\n", "", []Item{
			{Text: "A", Line: 7, Explanation: "a"}, {Text: "B", Line: 8, Explanation: "b"},
			{Text: "C", Line: 9, Explanation: "c"}}},
		{"items after a heading", "# Title\n\nSome *words*.\n\n## Section\n\n- [ ] A\n", "# Title\n\nSome *words*.\n\n## Section", []Item{
			{Text: "A", Line: 13}}},
		{"text ends at the first line", "- [ ] A long item\n  wrapped on purpose\n", "", []Item{
			{Text: "A long item", Line: 7, Explanation: "wrapped on purpose"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, problems := Parse("x.md", []byte(fm+tt.body))
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			if c.Intro != tt.intro {
				t.Errorf("intro = %q, want %q", c.Intro, tt.intro)
			}
			if !reflect.DeepEqual(c.Items, tt.items) {
				t.Errorf("items:\n got %#v\nwant %#v", c.Items, tt.items)
			}
		})
	}
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		file string
		line int    // where the (only) problem points
		msg  string // part of its message
	}{
		{"empty file", "", 1, "no front matter"},
		{"no front matter", "# Checklist\n\n- [ ] A\n", 1, "no front matter"},
		{"front matter not closed", "---\nid: a\ntitle: A\n\n- [ ] A\n", 1, "not closed"},
		{"malformed yaml (parser error)", "---\nid: a\ntitle: [A\napplies: {ai: true}\n---\n- [ ] A\n", 3, "did not find expected ',' or ']'"},
		{"malformed yaml (parser error, no context line)", "---\n- a\nb: c\n---\n- [ ] A\n", 3, "did not find expected '-' indicator"},
		{"malformed yaml (scanner error)", "---\nid: a\ntitle: a: b\napplies: {ai: true}\n---\n- [ ] A\n", 3, "mapping values are not allowed"},
		{"yaml with a tab", "---\nid: a\napplies:\n\tai: true\ntitle: A\n---\n- [ ] A\n", 4, "cannot start any token"},
		{"front matter not a mapping", "---\n- a\n- b\n---\n- [ ] A\n", 2, "keys and values"},
		{"missing id", "---\ntitle: A\napplies: {ai: true}\n---\n- [ ] A\n", 1, "missing id"},
		{"empty id", "---\nid:\ntitle: A\napplies: {ai: true}\n---\n- [ ] A\n", 2, "id is empty"},
		{"bad id", "---\ntitle: A\nid: Bad_ID\napplies: {ai: true}\n---\n- [ ] A\n", 3, "bad id"},
		{"id starting with a dash", "---\nid: -a\ntitle: A\napplies: {ai: true}\n---\n- [ ] A\n", 2, "bad id"},
		{"missing title", "---\nid: a\napplies: {ai: true}\n---\n- [ ] A\n", 1, "missing title"},
		{"blank title", "---\nid: a\ntitle: \"  \"\napplies: {ai: true}\n---\n- [ ] A\n", 3, "title is empty"},
		{"title not a string", "---\nid: a\ntitle: [A]\napplies: {ai: true}\n---\n- [ ] A\n", 3, "title must be a string"},
		{"unknown category", "---\nid: a\ntitle: A\napplies:\n  categories:\n    - dependency\n    - sql\n---\n- [ ] A\n", 7, `unknown category "sql"`},
		{"categories not a list", "---\nid: a\ntitle: A\napplies:\n  categories: dependency\n---\n- [ ] A\n", 5, "must be a list"},
		{"unknown severity", "---\nid: a\ntitle: A\napplies: {ai: true}\nseverity: severe\n---\n- [ ] A\n", 5, `unknown severity "severe"`},
		{"bad path glob", "---\nid: a\ntitle: A\napplies:\n  paths:\n    - \"\"\n---\n- [ ] A\n", 6, "empty entry"},
		{"bad rule glob", "---\nid: a\ntitle: A\napplies:\n  rules: [\"\"]\n---\n- [ ] A\n", 5, "empty entry"},
		{"applies missing", "---\nid: a\ntitle: A\n---\n- [ ] A\n", 1, "applies is empty"},
		{"applies empty", "---\nid: a\ntitle: A\napplies:\n  categories: []\n---\n- [ ] A\n", 4, "applies is empty"},
		{"applies.ai not a bool", "---\nid: a\ntitle: A\napplies:\n  ai: sometimes\n---\n- [ ] A\n", 5, "true or false"},
		{"no items", "---\nid: a\ntitle: A\napplies: {ai: true}\n---\nJust prose.\n\n- a plain bullet\n", 0, "no items"},
		{"empty item", "---\nid: a\ntitle: A\napplies: {ai: true}\n---\n- [ ] A\n- [ ]\n", 7, "item has no text"},
		{"unknown key", "---\nid: a\ntitle: A\napplies: {ai: true}\nowner: sec\n---\n- [ ] A\n", 5, `unknown key "owner"`},
		{"unknown applies key", "---\nid: a\ntitle: A\napplies:\n  ai: true\n  files: [x]\n---\n- [ ] A\n", 6, `unknown key "files"`},
		{"repeated key", "---\nid: a\ntitle: A\napplies: {ai: true}\nid: b\n---\n- [ ] A\n", 5, `"id" repeated (first at line 2)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, problems := Parse("f.md", []byte(tt.file))
			if c != nil {
				t.Errorf("checklist returned despite problems")
			}
			if len(problems) != 1 {
				t.Fatalf("want 1 problem, got %v", problems)
			}
			p := problems[0]
			if p.File != "f.md" || p.Line != tt.line || !strings.Contains(p.Msg, tt.msg) {
				t.Errorf("got %s, want f.md:%d: …%s…", p, tt.line, tt.msg)
			}
		})
	}
}

func TestParseManyProblems(t *testing.T) {
	// Every problem is reported at once, so one lint run finds them all.
	file := "---\nid: A\ntitle: T\napplies:\n  categories: [nope]\n  paths: [\"ok/**\"]\nseverity: x\n---\n- [ ] A\n"
	_, problems := Parse("f.md", []byte(file))
	var got []string
	for _, p := range problems {
		got = append(got, p.String()[:len("f.md:N")])
	}
	want := []string{"f.md:2", "f.md:5", "f.md:7"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems at %v, want %v (%v)", got, want, problems)
	}
}

func TestProblemString(t *testing.T) {
	if s := (Problem{File: "a.md", Line: 3, Msg: "bad id"}).String(); s != "a.md:3: bad id" {
		t.Errorf("got %q", s)
	}
	if s := (Problem{File: "a.md", Msg: "no items"}).String(); s != "a.md: no items" {
		t.Errorf("got %q", s)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/good.md", "testdata/ai.md"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("---\nid: a\ntitle: A\napplies: {ai: true}\n---\n- [ ] A\n  - [x] B\n\t- [ ] C\n> - [ ] D\n"))
	f.Add([]byte("---\r\n---\r\n"))
	f.Add([]byte("---\nx: &a [*a]\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, problems := Parse("f.md", data)
		if (c == nil) == (len(problems) == 0) {
			t.Fatalf("checklist %v with problems %v", c != nil, problems)
		}
		for _, p := range problems {
			if p.Line < 0 || p.File != "f.md" || p.Msg == "" {
				t.Fatalf("bad problem %#v", p)
			}
		}
		if c == nil {
			return
		}
		for _, it := range c.Items {
			if it.Line < 1 || strings.Contains(it.Text, "\n") {
				t.Fatalf("bad item %#v", it)
			}
		}
	})
}
