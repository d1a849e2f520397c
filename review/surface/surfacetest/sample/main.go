// Command sample draws a seeded random sample of the findings that the
// review screen marks (every finding but the muted guesses: low confidence
// and not critical) from `vouch scan --json` output, and prints each with
// the lines of the commit's diff around it, for a person to judge whether
// it is worth a reviewer's attention.
//
//	vouch -C REPO scan -n 600 --json HEAD > scan.json
//	go run ./review/surface/surfacetest/sample -C REPO -n 25 -seed 5 scan.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/vouch-review/vouch/review/surface"
)

type finding struct {
	Category, Rule, Severity, Confidence, File, Side, Message string
	Line                                                      int
}

type commit struct {
	SHA, Subject string
	Findings     []finding
}

func main() {
	dir := flag.String("C", ".", "the repository the scan ran in")
	n := flag.Int("n", 25, "how many findings to draw")
	seed := flag.Uint64("seed", 1, "the random seed")
	context := flag.Int("U", 4, "diff lines around the finding's line")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: sample [-C REPO] [-n N] [-seed S] SCAN.json")
		os.Exit(2)
	}
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "sample:", err)
		os.Exit(1)
	}
	var scan struct{ Commits []commit }
	if err := json.Unmarshal(data, &scan); err != nil {
		fmt.Fprintln(os.Stderr, "sample: not vouch scan --json output:", err)
		os.Exit(1)
	}
	type pick struct {
		c commit
		f finding
	}
	var marked []pick
	muted := 0
	for _, c := range scan.Commits {
		for _, f := range c.Findings {
			if surface.Muted(surface.Finding{Category: f.Category, Severity: f.Severity, Confidence: f.Confidence}) {
				muted++
				continue
			}
			marked = append(marked, pick{c, f})
		}
	}
	r := rand.New(rand.NewPCG(*seed, 0))
	r.Shuffle(len(marked), func(i, j int) { marked[i], marked[j] = marked[j], marked[i] })
	fmt.Printf("%d commits, %d marked findings, %d muted (guesses, low-severity notes); drawing %d (seed %d)\n",
		len(scan.Commits), len(marked), muted, min(*n, len(marked)), *seed)
	for i, p := range marked[:min(*n, len(marked))] {
		fmt.Printf("\n=== %d. %.10s %s\n    %s:%d %s %s/%s %s: %s\n", i+1, p.c.SHA, p.c.Subject,
			p.f.File, p.f.Line, p.f.Rule, p.f.Severity, p.f.Confidence, p.f.Category, p.f.Message)
		fmt.Print(around(*dir, p.c.SHA, p.f, *context))
	}
}

// around is the diff of the finding's file cut to the hunk lines near its
// line on its side.
func around(dir, sha string, f finding, u int) string {
	out, err := exec.Command("git", "-C", dir, "show", "--format=", "-U"+strconv.Itoa(u), sha, "--", f.File).Output()
	if err != nil {
		return "    (no diff: " + err.Error() + ")\n"
	}
	var b strings.Builder
	oldNo, newNo, inHunk := 0, 0, false
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "@@") {
			fmt.Sscanf(l, "@@ -%d", &oldNo)
			if i := strings.Index(l, " +"); i > 0 {
				fmt.Sscanf(l[i+1:], "+%d", &newNo)
			}
			inHunk = true
			continue
		}
		if !inHunk || strings.HasPrefix(l, "diff --git ") {
			inHunk = false // the file's header lines, before its first hunk
			continue
		}
		no := newNo
		if f.Side == "old" {
			no = oldNo
		}
		if no >= f.Line-u && no <= f.Line+u {
			b.WriteString("    " + strings.Map(func(r rune) rune {
				if r < 0x20 && r != '\t' || r == 0x7f {
					return '?'
				}
				return r
			}, l) + "\n")
		}
		switch {
		case strings.HasPrefix(l, "+"):
			newNo++
		case strings.HasPrefix(l, "-"):
			oldNo++
		default:
			oldNo++
			newNo++
		}
	}
	return b.String()
}
