// @peculiar/x509, loaded after the reflect polyfill its dependency injection needs: import it from here.
import 'reflect-metadata';
export * from '@peculiar/x509';
