// The library dyn_plugin opens at run time: C entry points, a thread_local in the library (the
// general-dynamic TLS model, through __tls_get_addr), and an exception thrown across the
// library boundary.
#include <stdexcept>
#include <string>

thread_local int plug_counter = 100;

extern "C" int plug_add(int a, int b) { return a + b; }

extern "C" int plug_bump() { return ++plug_counter; }

extern "C" void plug_throw(const char *what) { throw std::runtime_error(std::string("plugin says ") + what); }
