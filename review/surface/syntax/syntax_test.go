package syntax

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func parse(t testing.TB, l Lang, src string) *File {
	t.Helper()
	f, err := Parse(l, []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return f
}

func callees(f *File) []string {
	var out []string
	for _, c := range f.Calls {
		out = append(out, c.Callee)
	}
	return out
}

func TestCalleesResolvedThroughImports(t *testing.T) {
	cases := []struct {
		name string
		lang Lang
		src  string
		want []string
	}{
		{"namespace import with node: scheme", JavaScript, "import * as cp from 'node:child_process';\ncp.exec(cmd);\n", []string{"child_process.exec"}},
		{"default import", JavaScript, "import cp from 'child_process';\ncp.spawn('git', args);\n", []string{"child_process.spawn"}},
		{"named import with alias", TypeScript, "import { execSync as run } from 'child_process';\nrun(`git ${ref}`);\n", []string{"child_process.execSync"}},
		{"require destructured", JavaScript, "const { exec, spawn: sp } = require('child_process');\nexec(a); sp(b);\n", []string{"require", "child_process.exec", "child_process.spawn"}},
		{"require member", JavaScript, "const load = require('js-yaml').load;\nload(s);\n", []string{"require", "js-yaml.load"}},
		{"require inline", JavaScript, "require('child_process').execSync('ls');\n", []string{"child_process.execSync", "require"}},
		{"ts import equals", TypeScript, "import cp = require('child_process');\ncp.exec(x);\n", []string{"child_process.exec"}},
		{"tsx component", TSX, "import axios from 'axios';\nexport const A = () => <div onClick={() => axios.get(url)}>x</div>;\n", []string{"axios.get"}},
		{"unbound name stays", JavaScript, "eval(code);\nfetch('https://x.example');\n", []string{"eval", "fetch"}},
		{"method on a value", JavaScript, "const m = re.exec(text);\n", []string{"re.exec"}},
		{"constructor", JavaScript, "const f = new Function('a', body);\n", []string{"Function"}},
		{"python module", Python, "import subprocess\nsubprocess.run(cmd, shell=True)\n", []string{"subprocess.run"}},
		{"python alias", Python, "import subprocess as sp\nsp.Popen(cmd)\n", []string{"subprocess.Popen"}},
		{"python from import alias", Python, "from os import system as s\ns('ls')\n", []string{"os.system"}},
		{"python dotted import binds the head", Python, "import os.path\nos.system('x')\n", []string{"os.system"}},
		{"python from submodule", Python, "from urllib.request import urlopen\nurlopen(u)\n", []string{"urllib.request.urlopen"}},
		{"python local function", Python, "def run(x):\n    pass\nrun(1)\n", []string{"run"}},
		{"java chained and new", Java, "import java.util.List;\nclass A { void f() { Runtime.getRuntime().exec(cmd); new ProcessBuilder(\"a\").start(); } }\n",
			[]string{"Runtime.getRuntime", "Runtime.getRuntime().exec", "ProcessBuilder", "ProcessBuilder().start"}},
		{"java import binds the class", Java, "import org.apache.commons.exec.CommandLine;\nclass A { void f() { CommandLine.parse(c); } }\n", []string{"org.apache.commons.exec.CommandLine.parse"}},
		{"ruby receiver and bare", Ruby, "system \"ls\"\nOpen3.popen3(cmd) { }\nobj&.run(1)\n", []string{"system", "Open3.popen3", "obj.run"}},
		{"rust use group and alias", Rust, "use std::process::{Command, Stdio as S};\nfn main() { Command::new(\"git\").arg(\"x\"); S::piped(); }\n",
			[]string{"std.process.Command.new", "std.process.Command.new().arg", "std.process.Stdio.piped"}},
		{"php functions, methods, aliases", PHP, "<?php\nuse Symfony\\Component\\Process\\Process as P;\nshell_exec($c);\n$this->db->query($q);\nnew P(['ls']);\nP::fromShellCommandline($x);\n",
			[]string{"shell_exec", "$this.db.query", "Symfony.Component.Process.Process", "Symfony.Component.Process.Process.fromShellCommandline"}},
		{"csharp alias and namespace", CSharp, "using System.Diagnostics;\nusing P = System.Diagnostics.Process;\nclass A { void F() { Process.Start(\"x\"); P.Start(y); new ProcessStartInfo(\"x\"); } }\n",
			[]string{"Process.Start", "System.Diagnostics.Process.Start", "ProcessStartInfo"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := parse(t, tc.lang, tc.src)
			got := callees(f)
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("callees %q, want %q", got, want)
			}
		})
	}
}

func TestImports(t *testing.T) {
	f := parse(t, JavaScript, "import 'side-effect';\nimport d, { a as b } from \"m\";\nconst x = require('y');\n")
	var got []string
	for _, im := range f.Imports {
		got = append(got, fmt.Sprintf("%s:%s:%s@%d", im.Module, im.Name, im.Local, im.Line))
	}
	want := []string{"side-effect::@1", "m:default:d@2", "m:a:b@2", "y::x@3"}
	if !slices.Equal(got, want) {
		t.Fatalf("imports %q, want %q", got, want)
	}
	if !f.Imported("m") || f.Imported("n") {
		t.Fatal("Imported is wrong")
	}
	p := parse(t, Python, "from . import views\nfrom mcp.server import FastMCP\nimport a.b as c\n")
	got = nil
	for _, im := range p.Imports {
		got = append(got, fmt.Sprintf("%s:%s:%s", im.Module, im.Name, im.Local))
	}
	want = []string{".:views:views", "mcp.server:FastMCP:FastMCP", "a.b::c"}
	if !slices.Equal(got, want) {
		t.Fatalf("imports %q, want %q", got, want)
	}
	r := parse(t, Rust, "use std::process::{self, Command};\nuse tokio::process::Command as TC;\nuse std::io::*;\n")
	got = nil
	for _, im := range r.Imports {
		got = append(got, fmt.Sprintf("%s:%s", im.Module, im.Local))
	}
	want = []string{"std.process:process", "std.process.Command:Command", "tokio.process.Command:TC", "std.io:"}
	if !slices.Equal(got, want) {
		t.Fatalf("rust imports %q, want %q", got, want)
	}
}

func TestArgs(t *testing.T) {
	f := parse(t, Python, "requests.get('https://api.example.com/x', verify=False, timeout=3)\n")
	c := f.Calls[0]
	if len(c.Args) != 3 || !c.Args[0].IsStr || c.Args[0].Str != "https://api.example.com/x" {
		t.Fatalf("args %+v", c.Args)
	}
	if k := c.Keyword("verify"); k == nil || k.Text != "False" {
		t.Fatalf("verify keyword %+v", k)
	}
	j := parse(t, JavaScript, "fetch(`https://${host}/x`, { method: 'POST' });\n")
	if a := j.Calls[0].Args[0]; a.IsStr {
		t.Fatalf("a template with a substitution is not a plain string: %+v", a)
	}
}

// TestViews checks that code in comments and strings is blanked and that
// offsets and newlines are kept.
func TestViews(t *testing.T) {
	cases := []struct {
		lang            Lang
		src, code, text string
	}{
		{JavaScript, "a('x'); // b()\n", "a(' ');       \n", "a('x');       \n"},
		{JavaScript, "s = `p ${q('r')} s`;\n", "s = `  ${q(' ')}  `;\n", "s = `p ${q('r')} s`;\n"},
		{JavaScript, "/* x\ny */ z = /a'b/g;\n", "    \n     z = /   /g;\n", "    \n     z = /a'b/g;\n"},
		{Python, "x = f\"{a} b\"  # c\n", "x = f\"     \"     \n", "x = f\"{a} b\"     \n"},
		{Python, "\"\"\"doc\neval(x)\n\"\"\"\n", "\"\"\"   \n       \n\"\"\"\n", "\"\"\"doc\neval(x)\n\"\"\"\n"},
		{Ruby, "x = \"a#{b}c\" # d\n", "x = \" #{b} \"    \n", "x = \"a#{b}c\"    \n"},
		{Rust, "let s = \"x\"; // y\n", "let s = \" \";     \n", "let s = \"x\";     \n"},
	}
	for _, tc := range cases {
		f := parse(t, tc.lang, tc.src)
		code, text := f.Views()
		if string(code) != tc.code || string(text) != tc.text {
			t.Errorf("%s %q:\ncode %q want %q\ntext %q want %q", tc.lang, tc.src, code, tc.code, text, tc.text)
		}
	}
}

func keys(cs []Construct) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s@%d", c.Key, c.Line))
	}
	return out
}

func lines(ns ...int) map[int]bool {
	m := map[int]bool{}
	for _, n := range ns {
		m[n] = true
	}
	return m
}

func TestChanges(t *testing.T) {
	cases := []struct {
		name                  string
		before, after         string
		addedLines, removedLs map[int]bool
		added, removed        []string
	}{
		{name: "new call", before: "a()\n", after: "a()\nos.system('x')\n", addedLines: lines(2),
			added: []string{`os.system(("x"))@2`}},
		{name: "moved within the file is neither", before: "os.system('x')\na()\n", after: "a()\nos.system( \"x\" )\n",
			addedLines: lines(2), removedLs: lines(1)},
		{name: "changed argument is one added one removed", before: "os.system('ls')\n", after: "os.system(cmd)\n",
			addedLines: lines(1), removedLs: lines(1), added: []string{"os.system((cmd))@1"}, removed: []string{`os.system(("ls"))@1`}},
		{name: "second identical use is one more", before: "os.system('x')\n", after: "os.system('x')\nos.system('x')\n",
			addedLines: lines(2), added: []string{`os.system(("x"))@2`}},
		{name: "reformatted is neither", before: "os.system('x',\n  y)\n", after: "os.system(\"x\", y)\n",
			addedLines: lines(1), removedLs: lines(1, 2)},
		{name: "one of two uses removed", before: "os.system('x')\nos.system('x')\n", after: "os.system('x')\n",
			removedLs: lines(2), removed: []string{`os.system(("x"))@2`}},
		{name: "added file", after: "import os\n", addedLines: lines(1), added: []string{"import os::os@1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var before *File
			if tc.before != "" {
				before = parse(t, Python, tc.before)
			}
			after := parse(t, Python, tc.after)
			a, r := Changes(before, after, tc.addedLines, tc.removedLs)
			if got := keys(a); !slices.Equal(got, tc.added) {
				t.Errorf("added %q, want %q", got, tc.added)
			}
			if got := keys(r); !slices.Equal(got, tc.removed) {
				t.Errorf("removed %q, want %q", got, tc.removed)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	if _, err := Parse(JavaScript, bytes.Repeat([]byte("x;\n"), MaxSize/3+1)); err != ErrTooLarge {
		t.Fatalf("over MaxSize: err %v, want ErrTooLarge", err)
	}
	if _, err := Parse("kotlin", []byte("fun main() {}")); err != ErrNoGrammar {
		t.Fatalf("kotlin: err %v, want ErrNoGrammar", err)
	}
	for _, deep := range []string{strings.Repeat("f(", 5000) + "eval(x)" + strings.Repeat(")", 5000), strings.Repeat("[", 100000)} {
		if _, err := Parse(Python, []byte(deep)); err != ErrTooDeep {
			t.Fatalf("a 5000-deep nest: err %v, want ErrTooDeep", err)
		}
	}
	// Nodes deeper than MaxDepth in the tree (not brackets: a chain of
	// unary operators) are not read; the rest is.
	chain := "f(1)\n" + strings.Repeat("!", 3000) + "eval(x)\n"
	f := parse(t, JavaScript, chain)
	if f.Uses("eval") != 0 || f.Uses("f") != 1 {
		t.Fatalf("a 3000-deep chain: calls %q, want f only", callees(f))
	}
	// A file of unbalanced brackets within the limit parses with errors.
	f = parse(t, Python, strings.Repeat("[", 200))
	if !f.HasErrors {
		t.Fatal("unbalanced brackets: HasErrors not set")
	}
}

func TestLangOf(t *testing.T) {
	for p, want := range map[string]Lang{"a.js": JavaScript, "a.MJS": JavaScript, "a.ts": TypeScript, "a.tsx": TSX,
		"a.py": Python, "a.java": Java, "a.kt": "", "a.rb": Ruby, "a.rs": Rust, "a.php": PHP, "a.cs": CSharp, "a.go": ""} {
		if got := LangOf(p); got != want {
			t.Errorf("LangOf(%q) = %q, want %q", p, got, want)
		}
	}
}
