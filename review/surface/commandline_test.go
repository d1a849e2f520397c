package surface_test

import (
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

func TestCommandLine(t *testing.T) {
	d := surface.CommandLineDetector{}
	for _, tc := range []struct {
		path, before, after, want string
	}{
		{".github/workflows/sync.yml", "jobs: {}\n", "jobs: {}\n# x\nrun: ssh -o StrictHostKeyChecking=no git@github.com\n", "crypto/insecure-transport"},
		{"scripts/get.sh", "#!/bin/sh\n", "#!/bin/sh\ncurl -k https://example.com/x -o x\n", "crypto/insecure-transport"},
		{"Dockerfile", "FROM node\nENTRYPOINT [\"node\", \"cli.js\", \"--port\", \"8000\"]\n",
			"FROM node\nENTRYPOINT [\"node\", \"cli.js\", \"--port\", \"8000\", \"--allowed-hosts\", \"*\"]\n", "web-config/any-host"},
		{"Dockerfile", "FROM node\nRUN curl -k https://a && make\n", "FROM node\nRUN curl -k https://a && make all\n", ""},
		{"scripts/get.sh", "#!/bin/sh\n", "#!/bin/sh\n# curl -k is never used here\ncurl -sSf https://x -o y\n", ""},
		{"README.md", "", "ssh -o StrictHostKeyChecking=no host\n", "skip"},
	} {
		if !d.Applies(tc.path) {
			if tc.want != "skip" {
				t.Errorf("%s: not applied", tc.path)
			}
			continue
		}
		fs := d.Detect(surfacetest.Change(t, tc.path, tc.before, tc.after))
		got := ""
		if len(fs) > 0 {
			got = fs[0].Rule
		}
		if got != tc.want || len(fs) > 1 {
			t.Errorf("%s %q: got %+v, want %s", tc.path, tc.after, fs, tc.want)
		}
	}
}
