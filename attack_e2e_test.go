package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

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
