// go_hello: the smallest Go program that exercises the runtime's start-up (heap arenas,
// threads for sysmon and the GC workers, signal handlers), stdout through fmt, argv, the
// environment, and an exit status through os.Exit.
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	fmt.Println("Hello from Go!")
	// argv[0] by base name, so the output does not depend on the caller's path.
	fmt.Printf("argc %d, argv[0] %s\n", len(os.Args), filepath.Base(os.Args[0]))
	for i, a := range os.Args[1:] {
		fmt.Printf("argv[%d] %q\n", i+1, a)
	}
	v, ok := os.LookupEnv("TSEMU_GO_UNSET")
	fmt.Printf("TSEMU_GO_UNSET: %q set %v\n", v, ok)
	if err := os.Setenv("TSEMU_GO_VAR", "a=b c"); err != nil {
		fmt.Println("setenv:", err)
	}
	v, ok = os.LookupEnv("TSEMU_GO_VAR")
	fmt.Printf("TSEMU_GO_VAR: %q set %v\n", v, ok)
	os.Unsetenv("TSEMU_GO_VAR")
	_, ok = os.LookupEnv("TSEMU_GO_VAR")
	fmt.Printf("after unsetenv: set %v\n", ok)
	fmt.Println("exiting with status 3")
	os.Exit(3)
}
