package lang

import (
	"path"
	"regexp"
	"strconv"

	"github.com/vouch-review/vouch/review/surface"
)

// Where a commit says which js-yaml is in force: a lockfile's resolved
// version wins over package.json's range.
var (
	jsYamlLock = []*regexp.Regexp{
		regexp.MustCompile(`"node_modules/js-yaml"\s*:\s*\{\s*"version"\s*:\s*"v?(\d+)\.`), // package-lock v2/v3
		regexp.MustCompile(`"js-yaml"\s*:\s*\{\s*"version"\s*:\s*"v?(\d+)\.`),              // package-lock v1
		regexp.MustCompile(`(?m)^"?js-yaml@[^\n]*:\n\s+version:?\s+"?(\d+)\.`),             // yarn.lock
		regexp.MustCompile(`(?m)^\s+/?'?js-yaml@(\d+)\.`),                                  // pnpm-lock.yaml
	}
	jsYamlRange = regexp.MustCompile(`"js-yaml"\s*:\s*"[\^~>=v\s]*(\d+)`)
)

// versionsInForce reads the commit's manifests (their after side).
func versionsInForce(changes []*surface.Change) options {
	var o options
	lock, manifest := 0, 0
	for _, c := range changes {
		if c == nil || c.File == nil || c.After == nil {
			continue
		}
		switch path.Base(c.Path()) {
		case "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml":
			for _, re := range jsYamlLock {
				if m := re.FindSubmatch(c.After); m != nil {
					if v, err := strconv.Atoi(string(m[1])); err == nil {
						lock = v
					}
					break
				}
			}
		case "package.json":
			if m := jsYamlRange.FindSubmatch(c.After); m != nil {
				if v, err := strconv.Atoi(string(m[1])); err == nil {
					manifest = v
				}
			}
		}
	}
	o.jsYamlMajor = manifest
	if lock != 0 {
		o.jsYamlMajor = lock
	}
	return o
}
