package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vouch-review/vouch/review/attacktest"
)

// TestAttacksAgainstBinary runs the table of attacks on the trail and the
// gate against the built binary, as CI would run `vouch verify`.
func TestAttacksAgainstBinary(t *testing.T) {
	for _, c := range attacktest.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			w := attacktest.Build(t, "")
			c.Setup(w)
			cmd := exec.Command(vouchBin, append([]string{"-C", w.Dir, "verify", "--json", attacktest.Range}, c.Args...)...)
			cmd.Env = append(os.Environ(), w.Env()...)
			cmd.Dir = w.Dir // relative paths in the arguments are the repository's, as with git -C
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			// The report is indented for people; the table's substrings are
			// compact JSON.
			var compact bytes.Buffer
			text := stdout.String()
			if json.Compact(&compact, stdout.Bytes()) == nil {
				text = compact.String()
			}
			text += stderr.String()
			if code != c.WantExit {
				t.Fatalf("exit %d, want %d\n%s", code, c.WantExit, text)
			}
			if code == 2 && strings.Count(strings.TrimSpace(stderr.String()), "\n") != 0 {
				t.Errorf("error is not one line:\n%s", stderr.String())
			}
			for _, want := range c.Want {
				if !strings.Contains(text, want) {
					t.Errorf("output lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

// TestJSONOutputEscapesHostileText: scan, log and verify --json print no
// control, bidi or invisible character raw; each is a \uXXXX escape, and
// the document still decodes to the same text.
func TestJSONOutputEscapesHostileText(t *testing.T) {
	w := attacktest.Build(t, "")
	hostile := "Mal\u009b31m\u009d0;t\u0007\u202eory\u200b\U000e0072"
	w.CommitOnFeature(map[string]string{"notes.txt": "x\n"}, "Touch notes "+hostile+"\n\nCo-authored-by: Claude <noreply@anthropic.com>")
	p := w.Payload(w.AI, "accept", hostile, attacktest.Alice, attacktest.AICommitTime.Add(time.Minute))
	p.Comment = hostile
	w.Plant(w.AI, w.Record("alice", w.Canonical(p)))
	for _, args := range [][]string{{"scan", "--json"}, {"log", "--json"}, {"verify", "--json"}} {
		cmd := exec.Command(vouchBin, append([]string{"-C", w.Dir}, append(args, attacktest.Range)...)...)
		cmd.Env = append(os.Environ(), w.Env()...)
		out, _ := cmd.Output()
		for _, r := range string(out) {
			if r >= 0x80 && r < 0xa0 || r == 0x202e || r == 0x200b || r >= 0xe0000 || r < 0x20 && r != '\n' {
				t.Errorf("%v: raw %U in the output", args, r)
			}
		}
		if !strings.Contains(string(out), `\u202e`) || !json.Valid(out) {
			t.Errorf("%v: not escaped JSON:\n%s", args, out)
		}
		if !strings.Contains(string(out), "Mal") {
			t.Errorf("%v: the hostile text is missing:\n%s", args, out)
		}
	}
}
