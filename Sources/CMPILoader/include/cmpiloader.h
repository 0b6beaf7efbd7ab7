#ifndef GANREPL_CMPILOADER_H
#define GANREPL_CMPILOADER_H

#include <stddef.h>

/* Open MPI, loaded at run time: ganrepl links no MPI library, and only a process started
   by mpirun (OMPI_COMM_WORLD_SIZE set) calls ganrepl_mpi_start, which dlopens
   libmpi.so.40 and looks up the few functions and predefined handles it uses
   (MPI_COMM_WORLD, MPI_FLOAT, MPI_DOUBLE and MPI_SUM are addresses of exported globals in
   Open MPI's ABI). Every call after a successful start goes to that library. */

/* Loads `library` (libmpi.so.40, or a path), calls MPI_Init_thread (MPI_THREAD_FUNNELED)
   and reads the rank and the number of ranks. Returns 1, or 0 with a sentence in `error`
   (capacity bytes). */
int ganrepl_mpi_start(const char *library, int *rank, int *size, char *error, size_t capacity);

/* In-place sums over every rank of MPI_COMM_WORLD (MPI_Allreduce with MPI_IN_PLACE), in
   pieces of at most 2^30 elements. */
void ganrepl_mpi_sum_floats(float *values, size_t count);
void ganrepl_mpi_sum_doubles(double *values, size_t count);

/* Rank `root`'s `count` floats into every rank's `values` (MPI_Bcast). */
void ganrepl_mpi_broadcast_floats(float *values, size_t count, int root);

/* Ends every rank of the job with `code` (MPI_Abort); does not return. */
void ganrepl_mpi_abort(int code);

/* MPI_Finalize, once, after the last collective. */
void ganrepl_mpi_finish(void);

#endif
