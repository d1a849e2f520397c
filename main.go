// Command vouch is a terminal review assistant for AI-authored git commits.
package main

import (
	"os"
	"runtime/debug"

	"github.com/vouch-review/vouch/cli"
)

// memoryLimit is the heap size past which the garbage collector works
// harder rather than let a whole-history scan grow: a soft limit, which
// GOMEMLIMIT in the environment replaces.
const memoryLimit = 88 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(cli.Run())
}
