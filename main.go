// Command vouch is a terminal review assistant for AI-authored git commits.
package main

import (
	"os"

	"github.com/vouch-review/vouch/cli"
)

func main() { os.Exit(cli.Run()) }
