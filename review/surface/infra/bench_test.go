package infra

import (
	"strings"
	"testing"
)

// BenchmarkDetectShell is the shell-reading formats: a long Dockerfile with
// continued RUNs and heredocs, a workflow with multi-line run: scripts and a
// shell script, each with one line changed.
func BenchmarkDetectShell(b *testing.B) {
	var df, wf, sh strings.Builder
	df.WriteString("FROM debian:bookworm-slim\n")
	wf.WriteString("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n")
	sh.WriteString("#!/bin/bash\nset -euo pipefail\n")
	for i := range 40 {
		df.WriteString("RUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl git ca-certificates && \\\n    curl -fsSL https://deb.example.com/setup_" + strings.Repeat("x", i%5) + " | bash - && \\\n    rm -rf /var/lib/apt/lists/*\n")
		df.WriteString("RUN <<EOF\nset -eux\nmkdir -p /opt/app && chmod 755 /opt/app\nEOF\n")
		wf.WriteString("      - run: |\n          make deps\n          curl -sSfL https://x/install.sh | sh -s -- -b bin\n          for f in a b c; do echo \"$f\"; done\n")
		sh.WriteString("if [ -n \"${CI:-}\" ]; then\n  curl -sSf https://sh.rustup.rs | sh -s -- -y\nfi\nfor p in a b c; do (cd \"$p\" && make); done\n")
	}
	changes := []*surfaceChangeCase{
		{"Dockerfile", df.String(), strings.Replace(df.String(), "git ca-certificates", "git jq ca-certificates", 1)},
		{".github/workflows/ci.yml", wf.String(), strings.Replace(wf.String(), "make deps", "make deps tools", 1)},
		{"scripts/build.sh", sh.String(), strings.Replace(sh.String(), "make);", "make all);", 1)},
	}
	d := New()
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range changes {
			d.Detect(fuzzChange(c.path, c.before, c.after))
		}
	}
}

type surfaceChangeCase struct{ path, before, after string }
