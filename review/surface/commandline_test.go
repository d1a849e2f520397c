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
		{".github/workflows/publish.yml", "on: push\n", "on: push\nrun: curl -L https://github.com/acme/pub/releases/latest/download/pub_linux.tar.gz | tar xz\n", "dependency-source/download-latest"},
		{"Dockerfile", "FROM debian\n", "FROM debian\nRUN git clone --depth 1 https://github.com/acme/tool && make -C tool install\n", "dependency-source/unpinned-install"},
		{"Dockerfile", "FROM debian\n", "FROM debian\nRUN git clone https://github.com/acme/tool && git -C tool checkout 0123456789abcdef0123456789abcdef01234567\n", ""},
		{"scripts/setup.sh", "#!/bin/sh\n", "#!/bin/sh\npip install git+https://github.com/acme/lib.git\n", "dependency-source/unpinned-install"},
		{"scripts/setup.sh", "#!/bin/sh\n", "#!/bin/sh\npip install git+https://github.com/acme/lib.git@0123456789abcdef0123456789abcdef01234567\n", ""},
		{".github/workflows/sync.yml", "on: push\n", "on: push\nrun: git clone git@github.com:acme/mirror.git target-repo\n", ""},
		{"scripts/setup.sh", "#!/bin/sh\n", "#!/bin/sh\ngit clone https://github.com/acme/tool && cd tool && make install\n", "dependency-source/unpinned-install"},
		{".npmrc", "save-exact=true\n", "save-exact=true\nregistry=https://pkgs.example.com/npm/\n", "dependency-source/registry"},
		{".npmrc", "save-exact=true\n", "save-exact=true\nregistry=https://registry.npmjs.org/\n", ""},
		{".github/workflows/ci.yml", "on: push\n", "on: push\nrun: pip install --extra-index-url https://download.example.com/whl torch\n", "dependency-source/registry"},
		{"Makefile", "all:\n", "all:\n\tgo install golang.org/x/tools/cmd/stringer@latest\n", "dependency-source/unpinned-install"},
		{"Dockerfile", "FROM node\n", "FROM node\nCMD [\"chromium\", \"--headless\", \"--no-sandbox\"]\n", "auth/sandbox-off"},
		{"scripts/share.sh", "#!/bin/sh\n", "#!/bin/sh\nngrok http 3000 --log=stdout &\n", "infra/public-tunnel"},
		{"docker-compose.yml", "services: {}\n", "services: {}\n    command: cloudflared tunnel --no-autoupdate run\n", "infra/public-tunnel"},
		{"scripts/build.sh", "#!/bin/sh\n", "#!/bin/sh\necho tunnel of love\n", ""},
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
