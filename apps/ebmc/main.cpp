// The `ebmc` command-line tool (see cli.cpp for the dispatch and the one-line errors).

#include "cli.h"

int main(int argc, char** argv) { return ebmc::cli::run(argc, argv); }
