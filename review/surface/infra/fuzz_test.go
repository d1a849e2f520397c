package infra

import (
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/surface"
)

func FuzzHCL(f *testing.F) {
	for _, s := range []string{
		sgBefore,
		`resource "aws_iam_policy" "p" { policy = jsonencode({ Statement = [{ Action = "*", Resource = "*" }] }) }`,
		"locals {\n  a = \"${var.x == \"y\" ? \"z\" : \"w\"}\"\n  b = <<-EOT\n    hi\n  EOT\n  c = [for x in y : x if x]\n}\n",
		"a = {\n  b = 1\n  \"c\" : 2\n}\n/* x */ # y\n",
		`x = "unterminated`, "a = [[[[[[", "b {", "<<EOF\n", "a = -1 + f(1, 2...)\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		root, err := parseHCL(src)
		if err == nil && root == nil {
			t.Fatal("nil root without error")
		}
		analyseTerraform([]byte(src))
	})
}

// fuzzChange builds a change without git: every after line is added and
// every before line removed, the worst case for the comparison.
func fuzzChange(path, before, after string) *surface.Change {
	f := &diff.File{OldPath: path, NewPath: path, Status: diff.StatusModified}
	h := diff.Hunk{OldStart: 1, NewStart: 1}
	for i := range strings.Split(before, "\n") {
		h.Lines = append(h.Lines, diff.Line{Kind: diff.LineDeleted, OldNo: i + 1})
	}
	for i, l := range strings.Split(after, "\n") {
		h.Lines = append(h.Lines, diff.Line{Kind: diff.LineAdded, NewNo: i + 1, Text: l})
	}
	f.Hunks = []diff.Hunk{h}
	return &surface.Change{File: f, Before: []byte(before), After: []byte(after)}
}

var fuzzPaths = []string{"main.tf", "Dockerfile", ".github/workflows/ci.yml", ".gitlab-ci.yml",
	"docker-compose.yml", "charts/x/values.yaml", "k8s/app.yaml", "charts/x/templates/d.yaml", "scripts/install.sh"}

func FuzzDetect(f *testing.F) {
	seeds := []string{sgBefore, deployment, workflow,
		"services:\n  a:\n    ports: [\"80:80\", {published: 1}]\n    volumes: [\"/:/h\"]\n",
		"FROM a\nRUN curl x | sh \\\n  && y\nUSER root\nEXPOSE 80\nRUN <<EOF\ncurl x | sh\nEOF\n",
		"on: {pull_request_target: {}}\njobs: {a: {steps: [{uses: actions/checkout@v4, with: {ref: refs/pull/1/head}}, {run: '${{ github.event.issue.body }}'}]}}\n",
		"a: &a [*a]\n", "set -e\nbash -c 'curl x | sh'\ncat <<EOF | sh\ncurl y\nEOF\nchmod 777 /x\n", "--- \n---\nkind: Pod\napiVersion: v1\n{{ if }}\n", "key: {{ .Values.x }}\n"}
	for i, s := range seeds {
		f.Add(uint8(i), "", s)
		f.Add(uint8(i), s, "")
	}
	d := New()
	f.Fuzz(func(t *testing.T, which uint8, before, after string) {
		p := fuzzPaths[int(which)%len(fuzzPaths)]
		for _, fd := range d.Detect(fuzzChange(p, before, after)) {
			if fd.Rule == "" || fd.Message == "" || fd.Line < 1 {
				t.Fatalf("bad finding %+v", fd)
			}
		}
		// Parsers straight, so a recover in Detect cannot hide a panic.
		for _, a := range []func([]byte) *result{analyseTerraform, analyseDockerfile, analyseWorkflow, analyseGitLab,
			analyseCompose, analyseValues, analyseScript, func(b []byte) *result { return analyseKubernetes(b, true) }} {
			a([]byte(after))
		}
	})
}

func BenchmarkDetect(b *testing.B) {
	tf := strings.Repeat(sgBefore, 50)
	k8s := strings.Repeat(deployment+"---\n", 50)
	changes := []*surface.Change{
		fuzzChange("main.tf", tf, strings.ReplaceAll(tf, "10.0.0.0/16", "0.0.0.0/0")),
		fuzzChange("k8s/app.yaml", k8s, strings.ReplaceAll(k8s, "runAsNonRoot: true", "privileged: true")),
		fuzzChange(".github/workflows/ci.yml", workflow, strings.Replace(workflow, "pull_request:", "pull_request_target:", 1)),
	}
	d := New()
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range changes {
			d.Detect(c)
		}
	}
}

func FuzzScanShell(f *testing.F) {
	for _, s := range []string{"curl x | sh", "bash -c 'sh -c \"curl y | bash\"'", "bash <<EOF\ncurl z | sh\nEOF\n",
		"find . -exec chmod 777 {} +", "eval \"$(wget -qO- u)\"", "a && (b; { c | d; })", "curl ${{ x }} | sh"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		hits, ok := scanShell(script)
		if !ok && hits != nil {
			t.Fatal("hits from a refused script")
		}
		n := strings.Count(script, "\n") + 1
		for _, h := range hits {
			if h.key == "" || h.line < 1 || h.first > h.line || h.line > h.last || h.last > n {
				t.Fatalf("hit %+v in %d lines", h, n)
			}
		}
	})
}
