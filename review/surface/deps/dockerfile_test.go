package deps

import "testing"

// TestDockerfileBaseImages reads base images through the one Dockerfile
// parser: continuation lines, comments inside them, flags, heredocs.
func TestDockerfileBaseImages(t *testing.T) {
	const before = "ARG NODE=20\nFROM node:${NODE}-bookworm AS web\nRUN npm ci\n"
	runCases(t, []detectCase{
		{name: "FROM continued over a comment", path: "Dockerfile", before: before,
			after: before + "FROM --platform=linux/amd64 \\\n  # pinned for the runtime\n  python:3.12-slim AS api\n",
			want:  []want{{rule: "deps/docker-added", line: 4, msg: []string{"python 3.12-slim"}}}},
		{name: "a heredoc line that looks like FROM is not an image", path: "Dockerfile", before: before,
			after: before + "RUN <<EOF\nFROM evil/image:latest\nEOF\n"},
		{name: "COPY --from an image after other flags", path: "Dockerfile", before: before,
			after: before + "COPY --chown=1000 --from=ghcr.io/acme/tools:1.2 /bin/tool /usr/local/bin/\n",
			want:  []want{{rule: "deps/docker-added", line: 4, msg: []string{"ghcr.io/acme/tools 1.2"}}}},
		{name: "ARG default change re-resolves the image", path: "Dockerfile", before: before,
			after: "ARG NODE=22\nFROM node:${NODE}-bookworm AS web\nRUN npm ci\n",
			want:  []want{{rule: "deps/docker-upgraded", line: 2, msg: []string{"node 20-bookworm → 22-bookworm"}}}},
	})
}
