package demo

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// person is a commit identity with the UTC offset its clock runs on.
type person struct {
	name, email string
	offset      int // minutes east of UTC
}

func (p person) ident() string { return p.name + " <" + p.email + ">" }

func (p person) zone() *time.Location { return time.FixedZone("", p.offset*60) }

// commit is one step of the story. The first commit of a branch forks from
// the current tip of from (empty for the root commit).
type commit struct {
	branch, from string
	author       person
	committer    person // the author when empty
	when         string // "2006-01-02 15:04" in the author's zone
	msg          string
	ops          []op // applied to the previous commit's tree
}

func (c commit) subject() string {
	s, _, _ := strings.Cut(c.msg, "\n")
	return s
}

type file struct {
	mode string // as fast-import writes it: 100644 or 100755
	data []byte
}

// tree is the work tree of the story as it stands, path -> file.
type tree map[string]*file

func (t tree) paths() []string {
	ps := make([]string, 0, len(t))
	for p := range t {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// op changes the tree; a failing op is a mistake in the story itself.
type op func(tree) error

// Go struct tags and Markdown need backticks, which raw strings cannot
// hold; the story writes ´ instead and put/edit turn it into `.
var backticks = strings.NewReplacer("´", "`")

func put(path, content string) op { return putMode(path, "100644", content) }

func putExec(path, content string) op { return putMode(path, "100755", content) }

func putMode(path, mode, content string) op {
	return func(t tree) error {
		t[path] = &file{mode: mode, data: []byte(backticks.Replace(content))}
		return nil
	}
}

func putBinary(path string, data []byte) op {
	return func(t tree) error {
		t[path] = &file{mode: "100644", data: data}
		return nil
	}
}

// edit replaces each old text with its new text; every old text must occur
// exactly once, so an edit never lands somewhere unintended.
func edit(path string, oldNew ...string) op {
	return func(t tree) error {
		f, ok := t[path]
		if !ok {
			return fmt.Errorf("edit %s: no such file", path)
		}
		if len(oldNew)%2 != 0 {
			return fmt.Errorf("edit %s: odd number of texts", path)
		}
		s := string(f.data)
		for i := 0; i < len(oldNew); i += 2 {
			old, repl := backticks.Replace(oldNew[i]), backticks.Replace(oldNew[i+1])
			if n := strings.Count(s, old); n != 1 {
				return fmt.Errorf("edit %s: text %q found %d times, want 1", path, firstWords(old), n)
			}
			s = strings.Replace(s, old, repl, 1)
		}
		t[path] = &file{mode: f.mode, data: []byte(s)}
		return nil
	}
}

func chmod(path, mode string) op {
	return func(t tree) error {
		f, ok := t[path]
		if !ok {
			return fmt.Errorf("chmod %s: no such file", path)
		}
		t[path] = &file{mode: mode, data: f.data}
		return nil
	}
}

func rename(from, to string) op {
	return func(t tree) error {
		f, ok := t[from]
		if !ok {
			return fmt.Errorf("rename %s: no such file", from)
		}
		if _, ok := t[to]; ok {
			return fmt.Errorf("rename %s: %s exists", from, to)
		}
		delete(t, from)
		t[to] = f
		return nil
	}
}

func firstWords(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}
